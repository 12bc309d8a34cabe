package dev.rota.master.internal;

import dev.rota.registry.WorkerListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a leadership term that serves clients speaking only AMQP (any language): submissions over
 * the broker, broker-only workers, and the settings and queues they rely on. Started and closed by
 * {@link LeaderTerm}; closing stops its threads (bounded wait) and its channels.
 */
final class BrokerClientsTerm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerClientsTerm.class);
    /**
     * How often queues of new task types are declared and the settings republished while types keep appearing;
     * an idle keeper backs off, and a job change wakes it.
     */
    static final Duration KEEP_INTERVAL = Duration.ofSeconds(2);
    private static final long JOIN_MILLIS = 3_000;
    /** Silence is judged in seconds; looking more often would only add queries. */
    static final Duration SWEEP_AT_MOST_EVERY = Duration.ofSeconds(1);

    private final TermContext ctx;
    private final SubmissionConsumer submissions;
    private final BrokerWorkers workers;
    private final BrokerSettingsKeeper keeper;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private volatile BackingOffTask keeping;

    BrokerClientsTerm(TermContext ctx, long epoch, WorkerListener workerListener) throws IOException {
        this.ctx = ctx;
        this.keeper = new BrokerSettingsKeeper(ctx, epoch);
        this.submissions = new SubmissionConsumer(ctx, epoch);
        this.workers = new BrokerWorkers(ctx, workerListener, keeper::declare);
        String id = ctx.config().masterId();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "rota-broker-clients-" + id));
        threads.add(daemon(new Loop("submissions", submissions::runOnce, ctx), "rota-submissions-" + id));
        threads.add(daemon(new Loop("broker workers", workers::runOnce, ctx), "rota-broker-workers-" + id));
    }

    /**
     * Starts the loops; the queues of known task types are declared and the settings published at once on the
     * term's broker-clients thread, off the path that starts dispatching.
     */
    void start() {
        threads.forEach(Thread::start);
        Duration idleMax = ctx.config().timings().maxIdleInterval();
        keeping = new BackingOffTask(scheduler, "settings", keeper::runOnce, new IdleBackoff(KEEP_INTERVAL, idleMax),
                ctx::fenced);
        keeping.start(Duration.ZERO);
        // No longer than a broker worker's silence limit: one that announces is watched before it can go silent.
        Duration sweep = max(ctx.config().timings().sweepInterval(), SWEEP_AT_MOST_EVERY);
        Duration lostAfter = BrokerWorkers.lostAfter(ctx.config());
        new BackingOffTask(scheduler, "broker worker silence", workers::sweep,
                new IdleBackoff(sweep, idleMax.compareTo(lostAfter) < 0 ? idleMax : lostAfter), ctx::fenced)
                .start(KEEP_INTERVAL);
    }

    /** Jobs changed (perhaps naming a new task type): declare their queues now. Never blocks. */
    void jobsChanged() {
        BackingOffTask k = keeping;
        if (k != null) {
            k.wake();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        threads.forEach(Thread::interrupt);
        submissions.close();
        workers.close();
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                try {
                    t.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        keeper.close();
    }
}
