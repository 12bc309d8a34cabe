package dev.rota.db;

import dev.rota.model.ResultMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code run} table: fires, one-off tasks and their attempts. Every method taking an
 * {@code epoch} runs in one transaction that first checks the epoch under a shared lock on the
 * lease row, and throws {@link FencedException} (rolling back) when another leader has taken over.
 * Every state change is a conditional update checked against {@link dev.rota.model.RunState}'s table.
 */
public interface Runs {

    /** Identifies one attempt of one run. */
    record AttemptRef(long runId, int attempt) {
    }

    enum ResultKind {
        /** The result moved the run (or refreshed its liveness). */
        APPLIED,
        /** It concerns an older attempt, or the run is already final: recorded in {@code run_event}, nothing changed. */
        STALE,
        /** No such run. */
        UNKNOWN,
        /**
         * Its sender is not the broker identity that started the attempt: recorded in {@code run_event}
         * as {@code FORGED_RESULT}, nothing changed.
         */
        FORGED,
        /**
         * Another transaction held the run's row for longer than the caller's lock wait (an operator's
         * open transaction, say): nothing recorded; apply the result again later.
         */
        BUSY
    }

    /** @param run the run after the result; for a final state, publish a completion event */
    record ResultOutcome(ResultMessage result, ResultKind kind, RunView run) {
    }

    /**
     * What one claim did.
     *
     * @param queued    runs now QUEUED at their next attempt: publish them
     * @param skipped   fires recorded as SKIPPED by their job's concurrency policy: publish a completion event
     * @param cancelled in-flight runs cancelled by the REPLACE policy: tell their workers, publish a completion event
     */
    record Claim(List<RunView> queued, List<RunView> skipped, List<RunView> cancelled) {
    }

    /**
     * Moves up to {@code limit} SCHEDULED runs that are due by the database clock to QUEUED, next attempt,
     * oldest due first. Fenced.
     *
     * <p>A job's fire being dispatched for the first time is where its concurrency policy applies, under a
     * lock on the job row, in scheduled order: FORBID records it SKIPPED while another run of the job is in
     * flight (QUEUED, RUNNING, or SCHEDULED for a retry); REPLACE records it SKIPPED when a later fire is in
     * flight, and otherwise cancels the in-flight runs. Fires recorded ahead of time and not yet dispatched
     * are not in flight. A policy job whose row another transaction holds is left for the next claim. ALLOW
     * jobs, retries and one-off tasks are claimed with one statement.
     */
    default Claim claim(long epoch, int limit) {
        return claim(epoch, limit, Duration.ZERO);
    }

    /**
     * {@link #claim(long, int)}, also taking runs due within {@code ahead} of the database clock, so that
     * the caller has them in hand when they fall due and only publishes then. It must not publish a run
     * before its due time: a run claimed ahead is recorded as dispatched at its due time, and the chaos
     * checker holds both to it. Fires whose job's concurrency policy applies are decided only once due,
     * on the state at their time, never ahead.
     */
    Claim claim(long epoch, int limit, Duration ahead);

    /**
     * {@link #claim}, returning only the runs to publish: for callers that do not tell workers of REPLACE
     * cancellations or publish completion events of skipped fires.
     */
    default List<RunView> claimDue(long epoch, int limit) {
        return claim(epoch, limit).queued();
    }

    /** The earliest due time of a SCHEDULED run, so the dispatcher knows how long it may wait. */
    Optional<Instant> nextDueAt();

    /**
     * Marks attempts whose task message the broker confirmed. Never waits for a run's row that another
     * transaction holds (applying a result, say): such attempts are left unmarked and returned, for the
     * caller to mark again shortly. Attempts already marked, or superseded by a newer attempt, count as done.
     *
     * @return the attempts not marked because their rows were held
     */
    List<AttemptRef> markPublished(List<AttemptRef> attempts);

    /** QUEUED attempts whose message is not confirmed and that were dispatched more than {@code olderThan} ago. */
    List<RunView> unpublished(Duration olderThan, int limit);

    /**
     * QUEUED attempts of terms before {@code epoch} whose message is not confirmed, earliest due first: a new
     * leader publishes them at once (when due), instead of waiting {@code republishAfter} for a confirm that
     * the ended term can no longer record. A term that ended gracefully left none whose message it had sent.
     */
    List<RunView> unpublishedOfEarlierTerms(long epoch, int limit);

    /**
     * Applies worker results (a batch). A failure with attempts left schedules a retry after the
     * run's backoff; a deadline of timeout plus {@code deadlineGrace} is set when an attempt starts. Fenced.
     */
    default List<ResultOutcome> applyResults(long epoch, List<ResultMessage> results, Duration deadlineGrace) {
        return applyResults(epoch, results, deadlineGrace, null);
    }

    /**
     * As {@link #applyResults(long, List, Duration)}, but waits at most {@code lockWait} for a run's row
     * that another transaction holds: such a result comes back {@link ResultKind#BUSY}, unapplied, and
     * the others are applied. One row held for minutes then holds up nothing else. Null waits as long as
     * it takes.
     */
    List<ResultOutcome> applyResults(long epoch, List<ResultMessage> results, Duration deadlineGrace, Duration lockWait);

    /**
     * Runs past their deadline: retried when attempts remain, else TIMED_OUT (or DEAD). Fenced.
     *
     * @return the runs changed; final ones need a completion event, QUEUED ones are not returned (they
     *     become SCHEDULED and are dispatched by {@link #claimDue})
     */
    List<RunView> expireOverdue(long epoch, int limit);

    /** Whether any run is QUEUED or RUNNING: one whose deadline or worker the leader's sweep must watch. */
    boolean anyInFlight();

    /**
     * In-flight attempts of a worker that is gone (left ZooKeeper) or silent (no heartbeat since
     * {@code silentSince}): each becomes SCHEDULED again, due now, as a new attempt that does not count as a
     * failure. An attempt that RabbitMQ has already redelivered to another worker is left to RabbitMQ
     * when selecting by worker. Fenced.
     *
     * @param workerId the lost worker, or null to select by silence alone
     */
    List<RunView> rescheduleLost(long epoch, String workerId, Instant silentSince);

    /**
     * Ends attempts whose task message the broker dead-lettered (poison message, delivery limit): an
     * in-flight run at that attempt becomes DEAD with {@code reason}; anything else is left alone. Fenced.
     *
     * @return the runs that became DEAD now
     */
    List<RunView> markDeadLettered(long epoch, List<AttemptRef> attempts, String reason);

    /**
     * Runs that missed their starting deadline (due_at plus starting_deadline_ms, by the database clock)
     * while still with the leader: SCHEDULED, or QUEUED with their message not confirmed. Each becomes
     * SKIPPED with the reason instead of starting late. A published message is the worker's to judge:
     * the task carries its deadline. Fenced.
     *
     * @return the runs skipped now (publish their completion events)
     */
    List<RunView> skipPastStartingDeadline(long epoch, int limit);

    /**
     * Per task type: runs QUEUED now, and attempts started within the last {@code window} (by the
     * database clock). Task types with neither are left out. Read-only.
     */
    java.util.Map<String, TaskTypeActivity> activity(Duration window);

    /** What {@link #activity} counts for one task type. */
    record TaskTypeActivity(String taskType, long queued, long startedInWindow) {
    }

    /** The latest scheduled time of any recorded fire of the job. */
    Optional<Instant> lastFireTime(long jobId);

    /**
     * Submits a one-off task. With an idempotency key that was used before, returns the first run instead.
     */
    RunView submit(TaskSubmission submission);

    /**
     * Submits many one-off tasks in one transaction and a few statements, in order: the bulk path for
     * producers with thousands of tasks. Each submission whose idempotency key was used before (also
     * earlier in the same list) returns the first run instead.
     *
     * @return one run per submission, in the order given
     */
    List<RunView> submitAll(List<TaskSubmission> submissions);

    /**
     * Sends a final run (FAILED, TIMED_OUT, CANCELLED, DEAD) back to SCHEDULED, due now, with a fresh
     * failure budget.
     *
     * @throws IllegalArgumentException when there is no such run
     * @throws dev.rota.model.IllegalRunTransitionException when its state is not re-runnable
     */
    RunView rerun(long runId);

    /**
     * Marks an in-flight or scheduled run CANCELLED.
     *
     * @return the run, if it was cancelled now (then tell its worker)
     */
    Optional<RunView> cancel(long runId);

    Optional<RunView> find(long id);

    /** Most recent runs first; {@code jobName} null for all. */
    List<RunView> recent(String team, String jobName, int limit);

    /**
     * Runs not yet final (SCHEDULED, QUEUED, RUNNING) counted by state, and the outbox: QUEUED attempts whose
     * task message the broker has not confirmed. One query over the partial indexes of those states, for
     * gauges; final states are left out, as counting them would scan the whole table.
     */
    ActiveCounts activeCounts();

    /**
     * @param byState     every non-final state, with 0 when no run is in it
     * @param unpublished QUEUED attempts not yet confirmed by the broker
     */
    record ActiveCounts(java.util.Map<dev.rota.model.RunState, Long> byState, long unpublished) {
    }

    /** The database's clock: the reference for "due" and "early". */
    Instant now();
}
