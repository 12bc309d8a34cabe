package dev.rota.db;

import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;

/**
 * One row of the {@code run} table: a fire of a job or a one-off task, with its current attempt.
 *
 * @param startingDeadline an attempt not started this long after {@code dueAt} is SKIPPED; null for none
 */
public record RunView(
        long id,
        Long jobId,
        String jobName,
        String team,
        String taskType,
        String payload,
        Instant scheduledAt,
        Instant dueAt,
        RunState state,
        int attempt,
        int failures,
        RetryPolicy retryPolicy,
        Duration timeout,
        String idempotencyKey,
        Long epoch,
        boolean published,
        String workerId,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        String result,
        String error,
        Duration startingDeadline,
        String traceparent) {

    /** A run without a starting deadline. */
    public RunView(long id, Long jobId, String jobName, String team, String taskType, String payload,
            Instant scheduledAt, Instant dueAt, RunState state, int attempt, int failures, RetryPolicy retryPolicy,
            Duration timeout, String idempotencyKey, Long epoch, boolean published, String workerId,
            Instant dispatchedAt, Instant startedAt, Instant finishedAt, String result, String error) {
        this(id, jobId, jobName, team, taskType, payload, scheduledAt, dueAt, state, attempt, failures, retryPolicy,
                timeout, idempotencyKey, epoch, published, workerId, dispatchedAt, startedAt, finishedAt, result, error,
                null, null);
    }

    /** A run without a trace. */
    public RunView(long id, Long jobId, String jobName, String team, String taskType, String payload,
            Instant scheduledAt, Instant dueAt, RunState state, int attempt, int failures, RetryPolicy retryPolicy,
            Duration timeout, String idempotencyKey, Long epoch, boolean published, String workerId,
            Instant dispatchedAt, Instant startedAt, Instant finishedAt, String result, String error,
            Duration startingDeadline) {
        this(id, jobId, jobName, team, taskType, payload, scheduledAt, dueAt, state, attempt, failures, retryPolicy,
                timeout, idempotencyKey, epoch, published, workerId, dispatchedAt, startedAt, finishedAt, result, error,
                startingDeadline, null);
    }

    /** The instant by which the current attempt must start, or null when the run has no starting deadline. */
    public Instant startBy() {
        return startingDeadline == null || dueAt == null ? null : dueAt.plus(startingDeadline);
    }
}
