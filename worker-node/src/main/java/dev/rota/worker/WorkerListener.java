package dev.rota.worker;

import dev.rota.model.TaskMessage;

/**
 * Told what a worker does; for metrics and tests. Called on the thread where the event happens: a task
 * thread, a heartbeat thread, the RabbitMQ client's thread (control messages) or the thread calling
 * {@link Worker#start()} or {@link Worker#close()}. Calls for one task arrive in order; calls for
 * different tasks may overlap. Implementations must be thread-safe and must not block: a slow listener
 * slows task processing. An exception thrown by the listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface WorkerListener {
    /** Ignores every event. */
    WorkerListener NONE = (event, task, detail) -> {
    };

    /**
     * @param event  what happened
     * @param task   the task concerned, or null for events about the worker or an unreadable message
     * @param detail a short human-readable detail (error text, reason), or null
     */
    void onEvent(WorkerEvent event, TaskMessage task, String detail);
}
