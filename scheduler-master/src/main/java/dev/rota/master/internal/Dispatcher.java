package dev.rota.master.internal;

import dev.rota.db.RunView;
import dev.rota.db.Runs;
import dev.rota.master.MasterEvent;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's dispatch path, one iteration at a time on one thread: claim what is due by the database
 * clock, or due within {@code dispatchAhead} of it (cron fires the planner recorded ahead, delayed tasks,
 * retries; concurrency policies apply here, and only once due), publish what is due by now, hold the rest
 * until its due time, pick up unconfirmed messages from the outbox, and mark the confirmed ones. Claiming
 * ahead leaves only the publish for the due instant. Everything waits in the database, so a database
 * outage delays fires but loses none.
 *
 * <p>A run is never published before its due time by the database clock: the loop estimates that clock
 * from its own with a measured offset, and waits out the measurement's uncertainty too.
 */
final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final TermContext ctx;
    private final long epoch;
    private final Runs runs;
    private final TaskPublisher publisher;
    private final ConfirmTracker confirms;
    private final int batchSize;
    private final Duration duePollInterval;
    private final Duration republishAfter;
    private final Duration dispatchAhead;
    private final Semaphore wakeups = new Semaphore(0);
    /** Runs claimed before their due time, earliest first: published when due. */
    private final java.util.PriorityQueue<RunView> held = new java.util.PriorityQueue<>(
            java.util.Comparator.comparing(RunView::dueAt).thenComparingLong(RunView::id));
    private static final Duration OFFSET_CHECK_INTERVAL = Duration.ofSeconds(10);

    private long nextOutboxCheckNanos;
    private long nextOffsetCheckNanos;
    private Duration databaseClockOffset = Duration.ZERO;
    /** Half the round trip of the offset's measurement: how far the offset may be off. */
    private Duration offsetUncertainty = Duration.ZERO;
    private boolean offsetMeasured;
    /** The first iteration took the earlier terms' unconfirmed messages in hand. */
    private boolean earlierTermsTaken;
    /** The earliest due run seen by the last iteration (database clock); null if none, or not known. */
    private volatile Instant nextDue;
    /** The last claim was a full batch, or none was made for want of room: more may be due now. */
    private boolean backlog;

    Dispatcher(TermContext ctx, long epoch, TaskPublisher publisher, ConfirmTracker confirms) {
        this.ctx = ctx;
        this.confirms = confirms;
        this.epoch = epoch;
        this.runs = ctx.db().runs();
        this.publisher = publisher;
        this.batchSize = ctx.config().batchSize();
        this.duePollInterval = ctx.config().timings().duePollInterval();
        this.republishAfter = ctx.config().timings().republishAfter();
        this.dispatchAhead = ctx.config().timings().dispatchAhead();
        this.nextOutboxCheckNanos = System.nanoTime();
    }

    /** Wakes the loop now: the planner recorded fires, some perhaps due sooner than it knew. Never blocks. */
    void wake() {
        wakeups.release();
    }

    /**
     * A commit made a run due at {@code due} (database clock): wakes the loop if that is sooner than the
     * run it waits for. On the listener's thread; never blocks.
     */
    void announced(Instant due) {
        Instant waitingFor = nextDue;
        if (waitingFor == null || due.isBefore(waitingFor)) {
            wakeups.release();
        }
    }

    void runOnce() throws InterruptedException {
        if (wakeups.tryAcquire(millisUntilNextLook(), TimeUnit.MILLISECONDS)) {
            wakeups.drainPermits();
        }
        long began = System.nanoTime();
        if (!earlierTermsTaken) {
            // What the last term claimed and never saw confirmed (a crash; runs it held to publish when due):
            // published when due, not republishAfter from now. A second delivery is possible after a crash.
            // Bounded by what a term can have in hand; any beyond, the outbox republishes after republishAfter.
            List<RunView> orphans = runs.unpublishedOfEarlierTerms(epoch, 16 * batchSize);
            held.addAll(orphans);
            earlierTermsTaken = true;
            if (!orphans.isEmpty()) {
                log.info("publishing {} task messages an earlier term claimed and never saw confirmed", orphans.size());
            }
        }
        // At most 4 batches in hand: a backlog, or a crowd of runs due a moment from now, never fills the heap.
        boolean claimedAll = true;
        while (held.size() < 4 * batchSize) {
            Runs.Claim claim = runs.claim(epoch, batchSize, dispatchAhead);
            for (RunView r : claim.queued()) {
                ctx.emit(MasterEvent.RUN_QUEUED, r.id() + ":" + r.attempt(), TermContext.facts(r, dev.rota.master.EventFacts.Cause.DISPATCH));
            }
            held.addAll(claim.queued());
            concurrencyPolicyOutcomes(claim);
            claimedAll = claim.queued().size() + claim.skipped().size() < batchSize;
            if (claimedAll) {
                break;
            }
        }
        backlog = !claimedAll;
        nextDue = claimedAll ? runs.nextDueAt().orElse(null) : null;
        List<RunView> toPublish = new ArrayList<>();
        Instant releaseBefore = surelyPassedDatabaseTime();
        while (!held.isEmpty() && !held.peek().dueAt().isAfter(releaseBefore)) {
            toPublish.add(held.poll());
        }
        if (System.nanoTime() >= nextOutboxCheckNanos) {
            // An iteration that claimed a large backlog can take longer than republishAfter itself: what it
            // claimed is not yet confirmed either, and must not be published twice.
            java.util.Set<Long> inHand = new java.util.HashSet<>();
            toPublish.forEach(r -> inHand.add(r.id()));
            held.forEach(r -> inHand.add(r.id()));
            List<RunView> stale = runs.unpublished(republishAfter, batchSize).stream()
                    .filter(r -> !inHand.contains(r.id()) && !confirms.inHand(r.id())).toList();
            if (!stale.isEmpty()) {
                log.info("republishing {} task messages that were not confirmed", stale.size());
            }
            toPublish.addAll(stale);
            nextOutboxCheckNanos = System.nanoTime() + republishAfter.toNanos() / 2;
        }
        if (!toPublish.isEmpty()) {
            publish(toPublish);
            ctx.emit(MasterEvent.DISPATCH_BATCH, toPublish.size() + " attempts", new dev.rota.master.EventFacts.Batch(
                    toPublish.size(), Duration.ofNanos(System.nanoTime() - began)));
        }
    }

    /**
     * A database time that has surely passed: this clock plus the measured offset, less the measurement's
     * uncertainty. Runs due by then may be published.
     */
    private Instant surelyPassedDatabaseTime() {
        if (!offsetMeasured || System.nanoTime() >= nextOffsetCheckNanos) {
            Instant before = ctx.clock().instant();
            Instant database = runs.now();
            Instant after = ctx.clock().instant();
            Duration roundTrip = Duration.between(before, after);
            Instant middle = before.plus(roundTrip.dividedBy(2));
            databaseClockOffset = Duration.between(middle, database);
            offsetUncertainty = roundTrip.dividedBy(2).plusMillis(1);
            offsetMeasured = true;
            nextOffsetCheckNanos = System.nanoTime() + OFFSET_CHECK_INTERVAL.toNanos();
        }
        return ctx.clock().instant().plus(databaseClockOffset).minus(offsetUncertainty);
    }

    /** Fires skipped by FORBID or REPLACE, and runs REPLACE cancelled: their completion events, and the cancel. */
    private void concurrencyPolicyOutcomes(Runs.Claim claim) {
        for (RunView skipped : claim.skipped()) {
            ctx.emit(MasterEvent.FIRE_SKIPPED, skipped.id() + " " + skipped.error(), TermContext.facts(skipped, dev.rota.master.EventFacts.Cause.DISPATCH));
            publisher.completionEvent(skipped);
        }
        for (RunView cancelled : claim.cancelled()) {
            publisher.cancel(cancelled);
            publisher.completionEvent(cancelled);
            ctx.emit(MasterEvent.RUN_FINISHED, cancelled.id() + " " + cancelled.state(), TermContext.facts(cancelled, dev.rota.master.EventFacts.Cause.DISPATCH));
        }
    }

    /**
     * How long the loop may wait: until the earliest run it holds falls due, until {@code dispatchAhead}
     * before the earliest known due time of a SCHEDULED run (by the database clock, through a measured
     * offset), or the outbox's next look, and at most the poll interval. A run made due sooner meanwhile
     * wakes the loop through {@link #wake} or {@link #announced}; the poll interval bounds how late one is
     * noticed when an announcement was lost.
     */
    private long millisUntilNextLook() {
        if (backlog && held.size() < 4 * batchSize) {
            return 0;
        }
        long wait = Math.min(duePollInterval.toMillis(),
                Math.max(0, TimeUnit.NANOSECONDS.toMillis(nextOutboxCheckNanos - System.nanoTime())));
        Instant nextDue = this.nextDue;
        if (nextDue == null && held.isEmpty()) {
            return wait;
        }
        Instant databaseNow = surelyPassedDatabaseTime();
        if (!held.isEmpty()) {
            // Rounded up: a wake-up a fraction of a millisecond early would find the run not yet due.
            long nanos = Duration.between(databaseNow, held.peek().dueAt()).toNanos();
            wait = Math.min(wait, Math.max(0, (nanos + 999_999) / 1_000_000));
        }
        if (nextDue != null && held.size() < 4 * batchSize) {
            wait = Math.min(wait, Math.max(0, Duration.between(databaseNow, nextDue.minus(dispatchAhead)).toMillis()));
        }
        return wait;
    }

    /**
     * Sends the batch and hands each message's confirm to the {@link ConfirmTracker}; the
     * {@link ConfirmRecorder} records them on its own thread while this one claims the next batch.
     */
    private void publish(List<RunView> toPublish) throws InterruptedException {
        confirms.awaitRoom(toPublish.size());
        TaskPublisher.Sent published = publisher.send(toPublish);
        for (int i = 0; i < published.runs().size(); i++) {
            RunView run = published.runs().get(i);
            confirms.track(new Runs.AttemptRef(run.id(), run.attempt()), published.confirms().get(i), this::publishFailed);
        }
        if (!published.oversized().isEmpty()) {
            List<ResultMessage> rejections = new ArrayList<>();
            for (RunView r : published.oversized()) {
                rejections.add(new ResultMessage(TaskMessage.CURRENT_VERSION, r.id(), r.attempt(),
                        "leader-" + ctx.config().masterId(), ResultStatus.REJECTED, ctx.clock().instant(),
                        "payload is " + r.payload().length() + " characters, over the cluster's limit of "
                                + ctx.config().cluster().maxPayloadBytes() + " bytes", null));
            }
            for (Runs.ResultOutcome o : runs.applyResults(epoch, rejections, Duration.ZERO)) {
                if (o.run() != null && o.run().state().isFinal()) {
                    publisher.completionEvent(o.run());
                    ctx.emit(MasterEvent.RUN_FINISHED, o.run().id() + " " + o.run().state() + " " + o.run().error(),
                            TermContext.facts(o.run(), dev.rota.master.EventFacts.Cause.PAYLOAD_TOO_LARGE));
                }
            }
        }
    }

    /** On the RabbitMQ client's thread: only logs and reports; the outbox republishes the attempt later. */
    private void publishFailed(Runs.AttemptRef attempt, Throwable failure) {
        String why = failure.getMessage();
        log.warn("task message for run {} attempt {} not confirmed ({}); the outbox will republish it",
                attempt.runId(), attempt.attempt(), why);
        ctx.emit(MasterEvent.TASK_PUBLISH_FAILED, attempt.runId() + ":" + attempt.attempt() + " " + why);
    }
}
