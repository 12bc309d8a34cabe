package dev.rota.worker.internal;

import dev.rota.model.TaskMessage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tasks whose handlers run now. A set rather than a map by run id, because after a connection
 * recovery the broker can redeliver an attempt that is still running here: both copies are tracked
 * and a cancel stops both.
 */
final class RunningTasks {
    private final Set<RunningTask> tasks = ConcurrentHashMap.newKeySet();

    RunningTask begin(TaskMessage task, Thread thread) {
        RunningTask running = new RunningTask(task, thread);
        tasks.add(running);
        return running;
    }

    void end(RunningTask running) {
        tasks.remove(running);
    }

    /** Stops every running copy of {@code runId:attempt}; returns how many were stopped. */
    int cancel(long runId, int attempt) {
        int stopped = 0;
        for (RunningTask running : tasks) {
            if (running.task().runId() == runId && running.task().attempt() == attempt
                    && running.stop(RunningTask.Outcome.CANCELLED)) {
                stopped++;
            }
        }
        return stopped;
    }

    /** Stops every running task because the worker is closing; returns how many were stopped. */
    int abandonAll() {
        int stopped = 0;
        for (RunningTask running : tasks) {
            if (running.stop(RunningTask.Outcome.ABANDONED)) {
                stopped++;
            }
        }
        return stopped;
    }

    int size() {
        return tasks.size();
    }
}
