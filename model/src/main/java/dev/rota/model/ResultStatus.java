package dev.rota.model;

/** What a worker reports about one attempt. */
public enum ResultStatus {
    /** The handler is about to run. */
    STARTED,
    /** The handler is still running; extends the attempt's deadline. */
    HEARTBEAT,
    SUCCEEDED,
    FAILED,
    /** The worker interrupted the handler at the job's timeout. */
    TIMED_OUT,
    /** The handler was interrupted by a cancel request. */
    CANCELLED,
    /** The worker refused the task (unknown task type, unparsable payload); no retry helps. */
    REJECTED
}
