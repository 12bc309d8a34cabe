package dev.rota.db.internal;

import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.ResultMessage;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.DoubleSupplier;

/**
 * The changes to one locked run and its current attempt, computed in memory and written later in one
 * statement with the rest of the batch. Every state change goes through {@link RunState}'s table; the
 * write is conditional on the state and attempt the row had when it was locked ({@link #from()}).
 */
final class RunChange {
    private final RunRecord run;
    private final RunState from;
    private final int attempt;
    private boolean changed;

    /** The attempt row's new values; null fields leave it as it is. */
    private String attemptWorker;
    private OffsetDateTime attemptStartedAt;
    private String attemptOutcome;
    private OffsetDateTime attemptFinishedAt;
    private String attemptError;
    private String attemptLog;
    /** The broker identity bound to the attempt ({@link SenderCheck}): whether it has started, and by whom. */
    private boolean attemptStarted;
    private String startedBy;
    private String attemptStartedBy;

    RunChange(RunRecord locked) {
        this.run = locked;
        this.from = RunState.valueOf(locked.getState());
        this.attempt = locked.getAttempt();
    }

    RunRecord run() {
        return run;
    }

    RunState state() {
        return RunState.valueOf(run.getState());
    }

    RunState from() {
        return from;
    }

    int attempt() {
        return attempt;
    }

    /** What the attempt row held when the run was locked. */
    void boundTo(boolean started, String sender) {
        this.attemptStarted = started;
        this.startedBy = sender;
    }

    /** Why {@code m} must be refused, or null: see {@link SenderCheck#refusal}. */
    String senderRefusal(ResultMessage m) {
        return SenderCheck.refusal(attemptStarted, startedBy, m);
    }

    /** After an applied result: an attempt it started is now bound to its sender. */
    void bindSender(String sender) {
        if (attemptStartedAt != null) {
            attemptStarted = true;
            startedBy = sender;
            attemptStartedBy = sender;
        }
    }

    String attemptStartedBy() {
        return attemptStartedBy;
    }

    boolean changed() {
        return changed;
    }

    boolean attemptChanged() {
        return attemptWorker != null || attemptStartedAt != null || attemptOutcome != null;
    }

    String attemptWorker() {
        return attemptWorker;
    }

    OffsetDateTime attemptStartedAt() {
        return attemptStartedAt;
    }

    String attemptOutcome() {
        return attemptOutcome;
    }

    OffsetDateTime attemptFinishedAt() {
        return attemptFinishedAt;
    }

    String attemptError() {
        return attemptError;
    }

    private void moveTo(RunState to) {
        RunState current = state();
        if (current != to) {
            current.transitionTo(to);
        }
        run.setState(to.name());
        changed = true;
    }

    /**
     * A worker started the attempt (STARTED), or reports it is still running (HEARTBEAT). A start by
     * another worker than the recorded one is a redelivery: it counts as a delivery and restarts the clock.
     */
    void start(String workerId, boolean startedReport, OffsetDateTime now, Duration grace) {
        boolean otherWorker = !workerId.equals(run.getWorkerId());
        boolean fresh = startedReport || run.getStartedAt() == null || otherWorker;
        OffsetDateTime startedAt = fresh ? now : run.getStartedAt();
        moveTo(RunState.RUNNING);
        run.setWorkerId(workerId);
        run.setStartedAt(startedAt);
        if (startedReport || otherWorker) {
            run.setDeliveries(run.getDeliveries() + 1);
        }
        run.setHeartbeatAt(now);
        run.setDeadlineAt(run.getTimeoutMs() == null ? null
                : startedAt.plus(Duration.ofMillis(run.getTimeoutMs())).plus(grace));
        if (fresh) {
            attemptWorker = workerId;
            attemptStartedAt = now;
        }
    }

    /**
     * A final result for an attempt whose STARTED was never applied (not sent, or lost): the final
     * result implies the start, at {@code startedAt} when the worker said, else now.
     */
    private void impliedStart(String workerId, OffsetDateTime startedAt, OffsetDateTime now) {
        if (state() != RunState.QUEUED) {
            return;
        }
        OffsetDateTime at = startedAt == null || startedAt.isAfter(now) ? now : startedAt;
        run.setStartedAt(at);
        run.setDeliveries(run.getDeliveries() + 1);
        attemptWorker = workerId;
        attemptStartedAt = at;
    }

    /** The attempt ended in a final state with no retry: SUCCEEDED, CANCELLED, a rejection, or SKIPPED. */
    void finish(RunState to, String outcome, String workerId, OffsetDateTime startedAt, OffsetDateTime now,
            String resultJson, String error) {
        if (to != RunState.SKIPPED) {
            impliedStart(workerId, startedAt, now);
        }
        moveTo(to);
        run.setWorkerId(workerId);
        run.setFinishedAt(now);
        run.setResult(Mapping.jsonb(resultJson));
        run.setError(error);
        run.setDeadlineAt(null);
        closeAttempt(outcome, workerId, now, error);
    }

    /**
     * A failed or timed-out attempt: a retry after the run's backoff while failures remain below max
     * attempts; otherwise the run ends in {@code finalState}, or DEAD when it had retries.
     */
    void fail(RunState finalState, String outcome, String workerId, OffsetDateTime startedAt, OffsetDateTime now,
            String error, DoubleSupplier jitter) {
        if (workerId != null) {
            impliedStart(workerId, startedAt, now);
            run.setWorkerId(workerId);
        }
        int failures = run.getFailures() + 1;
        RetryPolicy policy = Mapping.retry(run.getMaxAttempts(), run.getRetryInitialMs(), run.getRetryMultiplier(),
                run.getRetryMaxMs());
        boolean retry = policy.allowsRetryAfter(failures);
        RunState to = retry ? RunState.SCHEDULED : (policy.maxAttempts() > 1 ? RunState.DEAD : finalState);
        OffsetDateTime due = retry ? now.plus(policy.delayAfter(failures, jitter)) : run.getDueAt();
        moveTo(to);
        run.setFailures(failures);
        run.setDueAt(due);
        run.setFinishedAt(retry ? null : now);
        run.setError(retry ? error + " (attempt " + run.getAttempt() + " failed; retry " + failures + " of "
                + (policy.maxAttempts() - 1) + " at " + due.toInstant() + ")" : error);
        run.setDeadlineAt(null);
        closeAttempt(outcome, run.getWorkerId(), now, error);
    }

    /** The log the worker sent with the attempt's final result; written with the outcome. */
    void attemptLog(String log) {
        attemptLog = log;
    }

    String attemptLog() {
        return attemptLog;
    }

    private void closeAttempt(String outcome, String workerId, OffsetDateTime now, String error) {
        attemptOutcome = outcome;
        attemptFinishedAt = now;
        attemptError = error;
        if (workerId != null) {
            attemptWorker = workerId;
        }
    }
}
