package dev.rota.db;

import dev.rota.model.Names;
import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A one-off task to run once at {@code runAt}.
 *
 * @param idempotencyKey optional; a second submission with the same key returns the first run
 * @param timeout        optional limit on one attempt
 */
public record TaskSubmission(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
        RetryPolicy retryPolicy, Duration timeout) {

    public TaskSubmission {
        Names.requireValid("team", team);
        Names.requireValid("task type", taskType);
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(runAt, "runAt");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new IllegalArgumentException("idempotencyKey must be 1 to 200 characters, was '" + idempotencyKey + "'");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public static TaskSubmission of(String taskType, String payload, Instant runAt) {
        return new TaskSubmission(JobSpec.DEFAULT_TEAM, taskType, payload, runAt, null, RetryPolicy.NONE, null);
    }

    public TaskSubmission withIdempotencyKey(String key) {
        return new TaskSubmission(team, taskType, payload, runAt, key, retryPolicy, timeout);
    }

    public TaskSubmission withRetry(RetryPolicy retryPolicy) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout);
    }

    public TaskSubmission withTimeout(Duration timeout) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout);
    }

    public TaskSubmission withTeam(String team) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout);
    }
}
