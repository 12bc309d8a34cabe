package dev.rota.db;

import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;

/** One row of the {@code run} table: a fire of a job or a one-off task, with its current attempt. */
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
        String error) {
}
