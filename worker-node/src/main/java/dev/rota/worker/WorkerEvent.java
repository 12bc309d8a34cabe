package dev.rota.worker;

/** What a {@link WorkerListener} is told about. */
public enum WorkerEvent {
    /** The worker started, registered itself and is consuming. Task is null. */
    WORKER_STARTED,
    /** A task message was decoded and is about to be run. */
    TASK_RECEIVED,
    /** STARTED was published and the handler is about to be called. */
    TASK_STARTED,
    /** A HEARTBEAT was published for a task still running. */
    TASK_HEARTBEAT,
    /** The handler returned; SUCCEEDED is being published. */
    TASK_SUCCEEDED,
    /** The handler threw; FAILED is being published. The detail is the error text. */
    TASK_FAILED,
    /** The task ran past its timeout and was interrupted; TIMED_OUT is being published. */
    TASK_TIMED_OUT,
    /** A cancel request interrupted the task; CANCELLED is being published. */
    TASK_CANCELLED,
    /** No handler for the task's type: REJECTED is published and the message dead-lettered. */
    TASK_REJECTED,
    /** The task arrived after its starting deadline: not run, reported SKIPPED; detail: by how much it was late. */
    TASK_SKIPPED,
    /** The final result was confirmed by the broker and the delivery acknowledged. */
    TASK_ACKED,
    /**
     * The worker closed before the task finished or before its result was confirmed: the delivery is
     * not acknowledged, so the broker redelivers it.
     */
    TASK_ABANDONED,
    /**
     * A message was too large or not a valid task and was dead-lettered without a result. Task is
     * null; the detail is the reason.
     */
    MESSAGE_DEAD_LETTERED,
    /** Publishing a final result failed; the worker retries after a backoff. The detail is the cause. */
    RESULT_PUBLISH_RETRY,
    /** A control message could not be read and was ignored. Task is null; the detail is the reason. */
    CONTROL_MALFORMED,
    /** The worker finished closing. Task is null. */
    WORKER_CLOSED
}
