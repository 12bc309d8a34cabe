package dev.rota.worker.internal;

import dev.rota.model.TaskMessage;
import java.util.Set;

/**
 * One attempt whose handler is running on its thread, and how that ended. The outcome starts as
 * RUNNING and changes once: to COMPLETED when the handler returns first, or to TIMED_OUT, CANCELLED or
 * ABANDONED when a stop request comes first. A stop interrupts the thread while holding this object's
 * lock, and {@link #finish()} takes the same lock, so an interrupt never reaches the thread after the
 * handler has finished.
 */
final class RunningTask {

    enum Outcome {
        RUNNING,
        COMPLETED,
        TIMED_OUT,
        CANCELLED,
        ABANDONED
    }

    private static final Set<Outcome> STOP_REASONS = Set.of(Outcome.TIMED_OUT, Outcome.CANCELLED, Outcome.ABANDONED);

    private final TaskMessage task;
    private final Thread thread;
    private Outcome outcome = Outcome.RUNNING;

    RunningTask(TaskMessage task, Thread thread) {
        this.task = task;
        this.thread = thread;
    }

    TaskMessage task() {
        return task;
    }

    /**
     * Asks the handler to stop for {@code reason} by interrupting its thread.
     *
     * @return true when this request decided the outcome; false when the task had already ended
     *         or been stopped for another reason
     */
    synchronized boolean stop(Outcome reason) {
        if (!STOP_REASONS.contains(reason)) {
            throw new IllegalArgumentException(reason + " is not a reason to stop a task");
        }
        if (outcome != Outcome.RUNNING) {
            return false;
        }
        outcome = reason;
        thread.interrupt();
        return true;
    }

    /** Called by the handler's thread once the handler returned or threw; returns the final outcome. */
    synchronized Outcome finish() {
        if (outcome == Outcome.RUNNING) {
            outcome = Outcome.COMPLETED;
        }
        return outcome;
    }

    synchronized boolean isStopRequested() {
        return STOP_REASONS.contains(outcome);
    }
}
