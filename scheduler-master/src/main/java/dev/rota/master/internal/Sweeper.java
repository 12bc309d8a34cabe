package dev.rota.master.internal;

import dev.rota.db.RunView;
import dev.rota.db.Runs;
import dev.rota.master.EventFacts;
import dev.rota.master.MasterEvent;
import dev.rota.registry.WorkerInfo;
import dev.rota.registry.WorkerListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds runs whose worker will never report: past their deadline (timed out), or held by a worker that
 * left ZooKeeper or stopped sending heartbeats; and runs the leader still holds past their starting
 * deadline (skipped). Runs on the term's scheduler thread. Silence is only
 * judged once the term is older than the silence period, because heartbeats sent while no leader
 * consumed them were not recorded.
 */
final class Sweeper implements WorkerListener {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    private final TermContext ctx;
    private final long epoch;
    private final TaskPublisher publisher;
    private final Instant termStart;
    private final Map<String, Instant> leftWorkers = new ConcurrentHashMap<>();
    private volatile Runnable onWorkerLeft = () -> { };

    Sweeper(TermContext ctx, long epoch, TaskPublisher publisher) {
        this.ctx = ctx;
        this.epoch = epoch;
        this.publisher = publisher;
        this.termStart = ctx.clock().instant();
    }

    /** Called (on the worker watch's thread; must not block) when a worker leaves: its grace period runs. */
    void onWorkerLeft(Runnable wake) {
        this.onWorkerLeft = wake;
    }

    @Override
    public void workerJoined(WorkerInfo worker) {
        leftWorkers.remove(worker.id());
        publisher.declareQueues(worker.taskTypes());
        ctx.emit(MasterEvent.WORKER_JOINED, worker.id());
    }

    @Override
    public void workerLeft(WorkerInfo worker) {
        leftWorkers.put(worker.id(), ctx.clock().instant());
        log.info("worker {} left; its running tasks are rescheduled after {} ms unless it comes back", worker.id(),
                ctx.config().timings().workerLostGrace().toMillis());
        ctx.emit(MasterEvent.WORKER_LEFT, worker.id());
        onWorkerLeft.run();
    }

    /**
     * One sweep.
     *
     * @return whether it changed a run, a left worker's grace is still running, or a run is in flight (sweep
     *         again at the interval: a deadline may pass any moment), or found nothing to watch (the sweep may
     *         back off)
     */
    boolean runOnce() {
        Runs runs = ctx.db().runs();
        int changed = report(runs.expireOverdue(epoch, ctx.config().batchSize()), "timed out",
                EventFacts.Cause.DEADLINE_PASSED);
        changed += report(runs.skipPastStartingDeadline(epoch, ctx.config().batchSize()), "starting deadline passed",
                EventFacts.Cause.STARTING_DEADLINE);
        Instant now = ctx.clock().instant();
        Duration grace = ctx.config().timings().workerLostGrace();
        for (Map.Entry<String, Instant> e : Map.copyOf(leftWorkers).entrySet()) {
            if (!e.getValue().plus(grace).isAfter(now) && leftWorkers.remove(e.getKey(), e.getValue())) {
                changed += report(runs.rescheduleLost(epoch, e.getKey(), null), "worker " + e.getKey() + " left",
                        EventFacts.Cause.WORKER_LOST);
            }
        }
        Duration silence = ctx.config().timings().workerSilence();
        if (!termStart.plus(silence).isAfter(now)) {
            changed += report(runs.rescheduleLost(epoch, null, runs.now().minus(silence)), "worker silent",
                    EventFacts.Cause.WORKER_LOST);
        }
        return changed > 0 || !leftWorkers.isEmpty() || runs.anyInFlight();
    }

    private int report(List<RunView> changed, String why, EventFacts.Cause cause) {
        for (RunView r : changed) {
            if (r.state().isFinal()) {
                publisher.completionEvent(r);
                ctx.emit(MasterEvent.RUN_FINISHED, r.id() + " " + r.state() + " (" + why + ")", TermContext.facts(r, cause));
            } else {
                publisher.completionEvent(r);
                ctx.emit(MasterEvent.RUN_RESCHEDULED, r.id() + " (" + why + ")", TermContext.facts(r, cause));
            }
            log.info("run {} attempt {}: {} -> {}", r.id(), r.attempt(), why, r.state());
        }
        return changed.size();
    }
}
