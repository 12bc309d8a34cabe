package dev.rota.worker;

/**
 * Runs one task. Register one per task type with {@link WorkerBuilder#handler(String, TaskHandler)} or
 * a {@link TaskHandlerProvider}.
 *
 * <p>Threading: {@link #handle} runs on one of the worker's task threads ({@code rota-worker-<id>-task-N}),
 * never on the RabbitMQ client's thread; the worker runs at most {@link WorkerConfig#capacity()} handlers
 * at once, and one handler instance may run on several threads at the same time, so it must be
 * thread-safe. Blocking is allowed: it only occupies that task thread.
 *
 * <p>Interruption: when the task times out, is cancelled, or outlives the worker's shutdown grace, the
 * worker interrupts the thread running the handler. A handler must let {@link InterruptedException}
 * propagate (or return promptly once {@link TaskContext#isCancelled()} is true); one that ignores
 * interrupts keeps its thread, and its outcome is reported only when it returns.
 *
 * <p>Delivery is at least once: the same attempt can run again after a worker crash, so side effects
 * should be keyed by {@link TaskContext#idempotencyKey()}.
 */
@FunctionalInterface
public interface TaskHandler {
    /**
     * @return the task's result, converted to JSON and reported with SUCCEEDED; null for none
     * @throws Exception to report the task FAILED with the exception's class and message (and causes)
     */
    Object handle(TaskContext context) throws Exception;
}
