package dev.rota.master;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Queue depth against live worker capacity, per task type, as the leader last measured it: what a
 * metrics exporter or an operator reads to see whether workers keep up. Only the leader measures; on
 * other masters {@link #loads()} is empty. Thread-safe.
 */
public interface Backlog {

    /**
     * One task type's load.
     *
     * @param taskType         the task type
     * @param readyMessages    task messages waiting in its queue (RabbitMQ's count: not yet delivered)
     * @param consumers        consumers on its queue (RabbitMQ's count)
     * @param workerCapacity   summed capacity of the registered workers that serve the type
     * @param queuedRuns       runs QUEUED in the database (waiting or delivered, not yet started)
     * @param startsPerSecond  attempts started per second over the measuring window
     * @param estimatedWait    how long the waiting messages take to start at that rate; null when nothing
     *                         started in the window (unknown: workers idle, stuck or absent)
     * @param behind           true when the wait exceeds the threshold, or messages wait with no consumer
     * @param measuredAt       when the leader measured it
     */
    record TaskTypeLoad(String taskType, long readyMessages, int consumers, int workerCapacity, long queuedRuns,
            double startsPerSecond, Duration estimatedWait, boolean behind, Instant measuredAt) {
    }

    /** The last measurement, one entry per task type that has queued runs, recent starts or workers. */
    List<TaskTypeLoad> loads();
}
