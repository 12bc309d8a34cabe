package dev.rota.db;

import java.time.Instant;

/** What the run table says about the cluster's load, for the overview: read by any master, not only the leader. */
public final class ClusterLoad {
    private ClusterLoad() {
    }

    /**
     * Runs of one task type waiting or running now.
     *
     * @param due     SCHEDULED and due: the leader has not dispatched them yet
     * @param queued  QUEUED: dispatched to the task queue, not yet started by a worker
     * @param running RUNNING on a worker
     */
    public record QueueDepth(String taskType, long due, long queued, long running) {
    }

    /**
     * One worker as the run table sees it.
     *
     * @param running       runs it is running now
     * @param lastHeartbeat the latest STARTED or HEARTBEAT of those runs; null when it runs nothing
     */
    public record WorkerLoad(String workerId, long running, Instant lastHeartbeat) {
    }

    /**
     * The runs scheduled in one minute.
     *
     * @param fires          runs scheduled in the minute (fires and submitted tasks)
     * @param started        of those, the ones that started
     * @param p50LatenessMs  median of started_at − scheduled_at over the started ones; null when none started
     * @param p99LatenessMs  99th percentile of the same; null when none started
     */
    public record FireBucket(Instant minute, long fires, long started, Double p50LatenessMs, Double p99LatenessMs) {
    }
}
