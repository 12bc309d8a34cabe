package dev.rota.model;

/** What a worker reports about one attempt. */
public enum ResultStatus {
    /** The handler is about to run. */
    STARTED,
    /**
     * The handler is still running: the worker is alive. It does not extend the attempt's deadline (start
     * plus timeout plus grace); a run that stops heartbeating is rescheduled as lost.
     */
    HEARTBEAT,
    SUCCEEDED,
    FAILED,
    /** The worker interrupted the handler at the job's timeout. */
    TIMED_OUT,
    /** The handler was interrupted by a cancel request. */
    CANCELLED,
    /** The worker refused the task (unknown task type, unparsable payload); no retry helps. */
    REJECTED,
    /**
     * The worker did not run the task: it arrived after its starting deadline ({@link TaskMessage#startBy()}).
     * The run becomes SKIPPED with the reason. Leaders before this value existed treat it as malformed.
     */
    SKIPPED
}
