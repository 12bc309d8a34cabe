package dev.rota.master;

/** What a master reports to its {@link MasterListener}. */
public enum MasterEvent {
    /** This master won the election and started a term; detail: the epoch. */
    LEADERSHIP_ACQUIRED,
    /** This master's term ended; detail: why. */
    LEADERSHIP_LOST,
    /** A job was (re)scheduled; detail: job name. */
    JOB_SCHEDULED,
    /** A job was removed from the schedule (deleted or disabled); detail: job name. */
    JOB_UNSCHEDULED,
    /** A job cannot be scheduled; detail: the error, also stored in the job row. */
    JOB_INVALID,
    /** Owed times that a misfire policy did not fire; detail: job name and count; facts: {@link EventFacts.Misfires}. */
    MISFIRES_SKIPPED,
    /** A run attempt was committed for dispatch; detail: run id and attempt; facts: {@link EventFacts.Run}. */
    RUN_QUEUED,
    /**
     * A worker's STARTED result moved a run to RUNNING; detail: run id and attempt; facts: {@link EventFacts.Run}
     * with the start time.
     */
    RUN_STARTED,
    /** The dispatcher published a batch of attempts; facts: {@link EventFacts.Batch}. */
    DISPATCH_BATCH,
    /** A batch of worker results was applied in one transaction; facts: {@link EventFacts.Batch}. */
    RESULT_BATCH,
    /** A fire the database already had; detail: job name and time. */
    FIRE_DUPLICATE,
    /** A fire skipped by the FORBID concurrency policy; facts: {@link EventFacts.Run}. */
    FIRE_SKIPPED,
    /** A task message was confirmed by the broker. */
    TASK_PUBLISHED,
    /** A task message was not confirmed; the outbox will republish it. */
    TASK_PUBLISH_FAILED,
    /** A write was rejected because another leader's epoch is current; detail: the exception message. */
    FENCED,
    /** A worker result changed a run. */
    RESULT_APPLIED,
    /** A result for an older attempt or a finished run; recorded, changed nothing. */
    RESULT_STALE,
    /**
     * A result whose sender (AMQP {@code user_id}) is not the identity that started the attempt;
     * recorded as {@code FORGED_RESULT}, changed nothing.
     */
    RESULT_FORGED,
    /** A message on the results queue could not be read; detail: why. */
    RESULT_MALFORMED,
    /** A run reached a final state; detail: run id and state; facts: {@link EventFacts.Run} with the cause. */
    RUN_FINISHED,
    /** A run went back to SCHEDULED for a retry or after losing its worker; facts: {@link EventFacts.Run} with the cause. */
    RUN_RESCHEDULED,
    /**
     * A message was set aside for operators: a dead-lettered task moved to the parked queue, or a results
     * message stored in the {@code parked_message} table; detail: why.
     */
    MESSAGE_PARKED,
    /**
     * The workers of a task type cannot start its waiting tasks within the backlog threshold, or no
     * worker consumes them; detail: the figures ({@link Backlog} has them typed). Emitted when it starts.
     */
    BACKLOG_BEHIND,
    /** A task type that was behind caught up; detail: the figures. */
    BACKLOG_CLEARED,
    /** A worker registered; detail: worker id. */
    WORKER_JOINED,
    /** A worker deregistered or lost its session; detail: worker id. */
    WORKER_LEFT,
    /** A submission over the broker was committed; detail: run id, status and idempotency key. */
    SUBMISSION_ACCEPTED,
    /** A submission over the broker was rejected and recorded; detail: why. */
    SUBMISSION_REJECTED
}
