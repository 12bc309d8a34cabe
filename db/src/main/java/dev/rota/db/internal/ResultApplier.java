package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN;

import dev.rota.db.Runs.ResultKind;
import dev.rota.db.Runs.ResultOutcome;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.DoubleSupplier;
import org.jooq.DSLContext;

/**
 * Applies one worker result to its run, inside the caller's fenced transaction. A result only counts
 * for the run's current attempt while that attempt is in flight; anything else is recorded in
 * {@code run_event} and changes nothing, so a final state is never overwritten.
 */
final class ResultApplier {
    private final DoubleSupplier jitter;

    ResultApplier(DoubleSupplier jitter) {
        this.jitter = jitter;
    }

    ResultOutcome apply(DSLContext tx, OffsetDateTime now, ResultMessage m, Duration deadlineGrace) {
        RunRecord run = tx.selectFrom(RUN).where(RUN.ID.eq(m.runId())).forUpdate().fetchOne();
        if (run == null) {
            JooqRuns.recordEvent(tx, m, "UNKNOWN_RUN", m.status() + " for a run that does not exist");
            return new ResultOutcome(m, ResultKind.UNKNOWN, null);
        }
        RunState state = RunState.valueOf(run.getState());
        if (m.attempt() != run.getAttempt() || !state.isInFlight()) {
            if (m.status() != ResultStatus.HEARTBEAT) {
                boolean duplicate = m.attempt() == run.getAttempt();
                JooqRuns.recordEvent(tx, m, duplicate ? "DUPLICATE_RESULT" : "STALE_RESULT",
                        m.status() + " for attempt " + m.attempt() + " while the run is " + state + " at attempt "
                                + run.getAttempt() + (m.error() == null ? "" : ": " + m.error()));
            }
            return new ResultOutcome(m, ResultKind.STALE, Mapping.run(run));
        }
        String forgery = SenderCheck.refusal(tx, run, m);
        if (forgery != null) {
            JooqRuns.recordEvent(tx, m, "FORGED_RESULT", forgery);
            return new ResultOutcome(m, ResultKind.FORGED, Mapping.run(run));
        }
        RunRecord after = switch (m.status()) {
            case STARTED, HEARTBEAT -> start(tx, now, run, m, deadlineGrace);
            case SUCCEEDED -> finish(tx, now, run, m, RunState.SUCCEEDED, "SUCCEEDED", null);
            case CANCELLED -> finish(tx, now, run, m, RunState.CANCELLED, "CANCELLED", m.error());
            case REJECTED -> finish(tx, now, run, m, RunState.FAILED, "REJECTED",
                    "rejected by worker " + m.workerId() + ": " + m.error());
            case FAILED -> fail(tx, now, withWorker(run, m), RunState.FAILED, "FAILED", m.error());
            case TIMED_OUT -> fail(tx, now, withWorker(run, m), RunState.TIMED_OUT, "TIMED_OUT", m.error());
        };
        return new ResultOutcome(m, ResultKind.APPLIED, Mapping.run(after));
    }

    private static RunRecord withWorker(RunRecord run, ResultMessage m) {
        run.setWorkerId(m.workerId());
        return run;
    }

    private RunRecord start(DSLContext tx, OffsetDateTime now, RunRecord run, ResultMessage m, Duration grace) {
        RunState from = RunState.valueOf(run.getState());
        boolean fresh = m.status() == ResultStatus.STARTED || run.getStartedAt() == null
                || !m.workerId().equals(run.getWorkerId());
        OffsetDateTime startedAt = fresh ? now : run.getStartedAt();
        boolean newDelivery = m.status() == ResultStatus.STARTED || !m.workerId().equals(run.getWorkerId());
        OffsetDateTime deadline = run.getTimeoutMs() == null ? null
                : startedAt.plus(Duration.ofMillis(run.getTimeoutMs())).plus(grace);
        RunRecord c = tx.update(RUN)
                .set(RUN.STATE, RunState.RUNNING.name())
                .set(RUN.WORKER_ID, m.workerId())
                .set(RUN.STARTED_AT, startedAt)
                .set(RUN.DELIVERIES, newDelivery ? run.getDeliveries() + 1 : run.getDeliveries())
                .set(RUN.HEARTBEAT_AT, now)
                .set(RUN.DEADLINE_AT, deadline)
                .where(RUN.ID.eq(run.getId()), RUN.ATTEMPT.eq(run.getAttempt()), RUN.STATE.eq(from.name()))
                .returning().fetchOne();
        if (fresh) {
            Transitions.startAttempt(tx, run.getId(), run.getAttempt(), m.workerId(), m.sender(), now);
        }
        return Transitions.requireOne(c, run.getId(), from, RunState.RUNNING);
    }

    private RunRecord finish(DSLContext tx, OffsetDateTime now, RunRecord run, ResultMessage m, RunState to,
            String outcome, String error) {
        RunState from = RunState.valueOf(run.getState());
        from.transitionTo(to);
        RunRecord c = tx.update(RUN)
                .set(RUN.STATE, to.name())
                .set(RUN.WORKER_ID, m.workerId())
                .set(RUN.FINISHED_AT, now)
                .set(RUN.RESULT, Mapping.jsonb(m.result() == null ? null : m.result().toString()))
                .set(RUN.ERROR, error)
                .setNull(RUN.DEADLINE_AT)
                .where(RUN.ID.eq(run.getId()), RUN.ATTEMPT.eq(run.getAttempt()), RUN.STATE.eq(from.name()))
                .returning().fetchOne();
        Transitions.closeAttempt(tx, run.getId(), run.getAttempt(), outcome, m.workerId(), now, error);
        return Transitions.requireOne(c, run.getId(), from, to);
    }

    /**
     * A failed or timed-out attempt: schedules a retry after the run's backoff while failures remain
     * below max attempts; otherwise the run ends in {@code finalState}, or DEAD when it had retries.
     */
    RunRecord fail(DSLContext tx, OffsetDateTime now, RunRecord run, RunState finalState, String outcome, String error) {
        RunState from = RunState.valueOf(run.getState());
        int failures = run.getFailures() + 1;
        RetryPolicy policy = Mapping.retry(run.getMaxAttempts(), run.getRetryInitialMs(), run.getRetryMultiplier(),
                run.getRetryMaxMs());
        boolean retry = policy.allowsRetryAfter(failures);
        RunState to = retry ? RunState.SCHEDULED : (policy.maxAttempts() > 1 ? RunState.DEAD : finalState);
        from.transitionTo(to);
        OffsetDateTime due = retry ? now.plus(policy.delayAfter(failures, jitter)) : run.getDueAt();
        String message = retry ? error + " (attempt " + run.getAttempt() + " failed; retry " + failures + " of "
                + (policy.maxAttempts() - 1) + " at " + due.toInstant() + ")" : error;
        RunRecord c = tx.update(RUN)
                .set(RUN.STATE, to.name())
                .set(RUN.FAILURES, failures)
                .set(RUN.DUE_AT, due)
                .set(RUN.WORKER_ID, run.getWorkerId())
                .set(RUN.FINISHED_AT, retry ? null : now)
                .set(RUN.ERROR, message)
                .setNull(RUN.DEADLINE_AT)
                .where(RUN.ID.eq(run.getId()), RUN.ATTEMPT.eq(run.getAttempt()), RUN.STATE.eq(from.name()))
                .returning().fetchOne();
        Transitions.closeAttempt(tx, run.getId(), run.getAttempt(), outcome, run.getWorkerId(), now, error);
        return Transitions.requireOne(c, run.getId(), from, to);
    }
}
