package dev.rota.model;

/** What a fire does when the previous run of the same job is still going (as in Kubernetes CronJob). */
public enum ConcurrencyPolicy {
    /** Runs overlap freely. */
    ALLOW,
    /** The new fire is recorded as {@link RunState#SKIPPED} while a previous run is in flight. */
    FORBID,
    /** The running one is cancelled, then the new one starts. */
    REPLACE
}
