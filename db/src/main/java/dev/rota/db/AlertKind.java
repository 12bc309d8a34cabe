package dev.rota.db;

/** What an alert is about; a rule lists the kinds it wants. */
public enum AlertKind {
    /** A run ended FAILED (no retries left, or none allowed). */
    RUN_FAILED,
    /** A run ended DEAD: every attempt failed, it was lost too often, or its message was dead-lettered. */
    RUN_DEAD,
    /** A run ended TIMED_OUT. */
    RUN_TIMED_OUT,
    /** A fire (or task) was SKIPPED: a concurrency policy forbade it, or its starting deadline passed. */
    FIRE_SKIPPED,
    /** A fire's first attempt started, or is still waiting, longer after its scheduled time than the rule allows. */
    FIRE_LATE,
    /** A worker was declared lost (left or went silent) while it held running tasks. */
    WORKER_LOST,
    /** The cluster has had no leader for longer than the rule's threshold (noticed by any live master). */
    NO_LEADER
}
