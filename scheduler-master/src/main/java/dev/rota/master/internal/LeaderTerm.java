package dev.rota.master.internal;

import dev.rota.db.FencedException;
import dev.rota.master.AlertConfig;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterTimings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership term: from winning the election to losing it. On start it bumps the epoch in
 * PostgreSQL (the fencing token every later write is checked against), plans the fires due soon
 * from the job rows, and starts the planning, dispatch, results, sweep and retention loops. {@link #close}
 * stops firing at once and returns within a few seconds.
 */
public final class LeaderTerm {
    private static final Logger log = LoggerFactory.getLogger(LeaderTerm.class);
    private static final long JOIN_MILLIS = 3_000;
    /** How long a closing term waits for the confirms of what it published to be recorded. */
    private static final java.time.Duration CONFIRM_DRAIN = java.time.Duration.ofSeconds(2);
    /** Task messages that may be out on the broker, unconfirmed or unrecorded, before dispatch waits. */
    private static final int MIN_IN_HAND = 10_000;

    private final TermContext ctx;
    private final String id;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private volatile long epoch = -1;
    private TaskPublisher publisher;
    private ResultConsumer results;
    private DeadLetterConsumer deadLetters;
    private AutoCloseable workerWatch;
    private AutoCloseable dueAnnouncements;
    private AutoCloseable scheduleChanges;
    private volatile BrokerClientsTerm brokerClients;
    private ScheduledExecutorService loops;
    private Thread dispatchThread;
    private Thread confirmThread;
    private ConfirmTracker confirms;
    private AlertSender alerts;

    public LeaderTerm(TermContext ctx) {
        this.ctx = ctx;
        this.id = ctx.config().masterId();
    }

    /** Starts the term on its own thread and returns at once. */
    public synchronized void start() {
        Thread starter = new Thread(this::begin, "rota-term-start-" + id);
        starter.setDaemon(true);
        threads.add(starter);
        starter.start();
    }

    /** The term's epoch, or -1 until it has one. */
    public long epoch() {
        return epoch;
    }

    public boolean isActive() {
        return !closed && epoch >= 0;
    }

    private void begin() {
        try {
            long acquired = ctx.db().lease().acquire(id);
            synchronized (this) {
                if (closed) {
                    return;
                }
                epoch = acquired;
                publisher = new TaskPublisher(ctx);
                // Before anything publishes, so that every event's confirm deletes its outbox row.
                EventOutboxLoop eventOutbox = new EventOutboxLoop(ctx.db().eventOutbox(), acquired, publisher,
                        ctx.config().timings().republishAfter());
                ConfirmTracker confirms = new ConfirmTracker(Math.max(MIN_IN_HAND, 4 * ctx.config().batchSize()));
                ConfirmRecorder confirmRecorder = new ConfirmRecorder(ctx.db().runs(), confirms, ctx::emit);
                Dispatcher dispatcher = new Dispatcher(ctx, acquired, publisher, confirms);
                SchedulePlanner planner = new SchedulePlanner(ctx.db().schedules(), acquired, ctx.config().scheduling(),
                        ctx.config().timings().misfireThreshold(), ctx::emit, dispatcher::wake);
                Sweeper sweeper = new Sweeper(ctx, acquired, publisher);
                MasterTimings timings = ctx.config().timings();
                Duration idleMax = timings.maxIdleInterval();
                results = new ResultConsumer(ctx, acquired, publisher);
                deadLetters = new DeadLetterConsumer(ctx, acquired, publisher);
                ctx.registry().publishSettings(ctx.config().publishedSettings());
                planner.runOnce();
                dueAnnouncements = ctx.db().dueAnnouncements().listen(dispatcher::announced);
                thread("rota-dispatch-" + id, new Loop("dispatcher", dispatcher::runOnce, ctx));
                dispatchThread = threads.get(threads.size() - 1);
                thread("rota-confirms-" + id, new Loop("confirm recorder", confirmRecorder::runOnce, ctx));
                confirmThread = threads.get(threads.size() - 1);
                this.confirms = confirms;
                thread("rota-results-" + id, new Loop("results", results::runOnce, ctx));
                thread("rota-dead-letters-" + id, new Loop("dead letters", deadLetters::runOnce, ctx));
                PlanningLoop planning = new PlanningLoop(planner,
                        new HeapGuard(ctx.config().scheduling().maxHeapUse()), ctx.config().scheduling().planInterval(),
                        ctx.onFenced());
                scheduleChanges = ctx.db().scheduleChanges().listen(() -> {
                    planning.changed();
                    BrokerClientsTerm clients = brokerClients;
                    if (clients != null) {
                        clients.jobsChanged();
                    }
                });
                thread("rota-planner-" + id, new Loop("planner", planning, ctx));
                thread("rota-retention-" + id, new Loop("retention", new RetentionSweep(ctx.db().schedules(),
                        ctx.db().runs(), acquired, ctx.config().scheduling()), ctx));
                alerts = new AlertSender(ctx.db().alerts(), (n, lease) -> ctx.db().alerts().claimDue(acquired, n, lease),
                        ctx.config().alerts(), ctx.clock(),
                        Math::random, ctx::emit, "rota-alert-http-" + id);
                IdleBackoff alertPace = new IdleBackoff(ctx.config().alerts().pollInterval(), idleMax);
                thread("rota-alerts-" + id, new Loop("alert sender", () -> alerts.runOnce(alertPace), ctx));
                loops = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rota-leader-loops-" + id));
                BackingOffTask sweep = backingOff("sweeper", sweeper::runOnce, timings.sweepInterval());
                sweeper.onWorkerLeft(sweep::wake);
                backingOff("event outbox", eventOutbox::runOnce, EVENT_OUTBOX_INTERVAL);
                ctx.db().alerts().leaderBeat(acquired, id);
                // Not backed off: its interval bounds how soon the masters notice a leader gone (NO_LEADER).
                schedule("leader beat", () -> ctx.db().alerts().leaderBeat(acquired, id),
                        ctx.config().alerts().leaderBeatInterval().toMillis());
                backingOff("late fires", () -> ctx.db().alerts().noticeLateFires(acquired, ctx.config().batchSize()) > 0,
                        timings.sweepInterval());
                schedule("alert retention", () -> ctx.db().alerts().purgeFinished(acquired,
                        ctx.config().alerts().keepDeliveries(), AlertConfig.PURGE_BATCH),
                        AlertConfig.PURGE_INTERVAL.toMillis());
                BacklogMonitor backlog = new BacklogMonitor(ctx, ctx.backlog(), BacklogMonitor.DEFAULT_WINDOW,
                        BacklogMonitor.DEFAULT_THRESHOLD);
                schedule("backlog", backlog::runOnce, BacklogMonitor.DEFAULT_INTERVAL.toMillis());
                workerWatch = ctx.registry().watchWorkers(sweeper);
                brokerClients = new BrokerClientsTerm(ctx, acquired, sweeper);
                brokerClients.start();
            }
            log.info("master {} leads with epoch {}", id, acquired);
            ctx.emit(MasterEvent.LEADERSHIP_ACQUIRED, Long.toString(acquired));
        } catch (FencedException e) {
            ctx.fenced(e);
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                log.error("master {} cannot start its leadership term; stepping down: {}", id, e.toString(), e);
                ctx.onFenced().run();
            }
        }
    }

    /**
     * How often confirmed events' rows are deleted (in one statement) and unconfirmed ones looked for, while
     * there are events; an idle outbox backs off.
     */
    static final Duration EVENT_OUTBOX_INTERVAL = Duration.ofMillis(250);

    /** Runs {@code pass} on the term's scheduler thread at {@code interval}, backing off while it finds nothing. */
    private BackingOffTask backingOff(String name, BackingOffTask.Pass pass, Duration interval) {
        BackingOffTask task = new BackingOffTask(loops, name, pass,
                new IdleBackoff(interval, ctx.config().timings().maxIdleInterval()), ctx::fenced);
        task.start();
        return task;
    }

    private void schedule(String name, Runnable task, long periodMillis) {
        loops.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (FencedException e) {
                ctx.fenced(e);
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("{} failed; next try in {} ms: {}", name, periodMillis, e.toString());
                }
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void thread(String name, Runnable body) {
        threads.add(daemon(body, name));
        threads.get(threads.size() - 1).start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Stops firing at once, then stops the loops and waits (bounded) for them. Idempotent. */
    public void close(String reason) {
        List<Thread> toJoin;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (loops != null) {
                loops.shutdownNow();
            }
            threads.stream().filter(t -> t != confirmThread).forEach(Thread::interrupt);
            closeQuietly(results);
            closeQuietly(deadLetters);
            closeQuietly(workerWatch);
            closeQuietly(dueAnnouncements);
            closeQuietly(scheduleChanges);
            closeQuietly(brokerClients);
            toJoin = List.copyOf(threads);
        }
        drainConfirms();
        for (Thread t : toJoin) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        closeQuietly(publisher);
        closeQuietly(alerts);
        log.info("master {} ended its term (epoch {}): {}", id, epoch, reason);
    }

    /**
     * Once dispatch has stopped, lets the confirm recorder write what the broker confirmed before the
     * term ends: otherwise the next leader's outbox would send those tasks again, and they would run twice
     * after a mere failover.
     */
    private void drainConfirms() {
        Thread dispatch = dispatchThread;
        Thread recorder = confirmThread;
        try {
            if (dispatch != null && dispatch != Thread.currentThread()) {
                dispatch.join(JOIN_MILLIS);
            }
            if (confirms != null && !confirms.awaitDrained(CONFIRM_DRAIN)) {
                log.warn("master {}: {} published task message(s) not confirmed and recorded within {}; the next"
                        + " leader may publish them again", id, confirms.size(), CONFIRM_DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (recorder != null) {
                recorder.interrupt();
            }
        }
    }

    /** Closes {@code c} if there is one, logging (not throwing) what closing it throws. */
    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing {}: {}", c, e.toString());
        }
    }
}
