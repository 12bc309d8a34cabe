package dev.rota.model;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of one run (a fire of a cron job, or a one-off task), as a closed state machine.
 *
 * <pre>
 *   SCHEDULED --&gt; QUEUED --&gt; RUNNING --&gt; SUCCEEDED | FAILED | DEAD | TIMED_OUT | CANCELLED
 *       ^            |           |
 *       +--- retry --+-----------+          (a new attempt of the same run)
 * </pre>
 *
 * <p>A final state is never left by a worker's result; only an operator's explicit re-run moves a
 * {@link #isRerunnable() re-runnable} final state back to {@link #SCHEDULED}.
 */
public enum RunState {
    /** Waiting for its due time: a delayed one-off task, or a retry in backoff. */
    SCHEDULED,
    /** Committed for dispatch; the task message is published (or will be, by the outbox). */
    QUEUED,
    /** A worker reported that it started the current attempt. */
    RUNNING,
    SUCCEEDED,
    /** The handler failed and no attempts remain (for a job without retries). */
    FAILED,
    /** No result arrived by the deadline and no attempts remain. */
    TIMED_OUT,
    CANCELLED,
    /**
     * Never ran, by policy: a misfire skipped, a concurrency policy that forbade overlap, or a starting
     * deadline that passed before it started (also from QUEUED: the message was out, too late).
     */
    SKIPPED,
    /** Every allowed attempt failed, or the message was dead-lettered. */
    DEAD;

    private static final Map<RunState, Set<RunState>> ALLOWED = Map.of(
            SCHEDULED, EnumSet.of(QUEUED, CANCELLED, SKIPPED),
            QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, DEAD, SCHEDULED, QUEUED, SKIPPED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, DEAD, SCHEDULED, QUEUED),
            SUCCEEDED, EnumSet.noneOf(RunState.class),
            FAILED, EnumSet.of(SCHEDULED),
            TIMED_OUT, EnumSet.of(SCHEDULED),
            CANCELLED, EnumSet.of(SCHEDULED),
            SKIPPED, EnumSet.noneOf(RunState.class),
            DEAD, EnumSet.of(SCHEDULED));

    private static final Set<RunState> ACTIVE = EnumSet.of(SCHEDULED, QUEUED, RUNNING);

    /** True for states that a worker's result can no longer change. */
    public boolean isFinal() {
        return !ACTIVE.contains(this);
    }

    /** True while the current attempt is out with a worker (or about to be). */
    public boolean isInFlight() {
        return this == QUEUED || this == RUNNING;
    }

    /** True for final states an operator may send back to {@link #SCHEDULED} with a re-run. */
    public boolean isRerunnable() {
        return this == FAILED || this == TIMED_OUT || this == CANCELLED || this == DEAD;
    }

    public boolean canTransitionTo(RunState target) {
        return ALLOWED.get(this).contains(target);
    }

    /**
     * Checks a transition against the table.
     *
     * @return {@code target}, for chaining
     * @throws IllegalRunTransitionException when the table does not allow it
     */
    public RunState transitionTo(RunState target) {
        if (!canTransitionTo(target)) {
            throw new IllegalRunTransitionException(this, target);
        }
        return target;
    }

    /** The states from which a transition to {@code target} is allowed; used in conditional updates. */
    public static Set<RunState> sourcesOf(RunState target) {
        EnumSet<RunState> sources = EnumSet.noneOf(RunState.class);
        for (RunState s : values()) {
            if (s.canTransitionTo(target)) {
                sources.add(s);
            }
        }
        return sources;
    }
}
