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
 * @param payload        JSON text of at most {@link JobSpec#MAX_PAYLOAD_BYTES} bytes (UTF-8)
 * @param timeout        optional limit on one attempt
 * @param startingDeadline optional: not started this long after it became due, the task is SKIPPED, not run late
 */
public record TaskSubmission(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
        RetryPolicy retryPolicy, Duration timeout, Duration startingDeadline) {

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
        JobSpec.requirePayloadSize("task of type '" + taskType + "'", payload);
        JobSpec.requireStartingDeadline(startingDeadline);
    }

    /** A submission without a starting deadline. */
    public TaskSubmission(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
            RetryPolicy retryPolicy, Duration timeout) {
        this(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, null);
    }

    public TaskSubmission withStartingDeadline(Duration startingDeadline) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline);
    }

    public static TaskSubmission of(String taskType, String payload, Instant runAt) {
        return new TaskSubmission(JobSpec.DEFAULT_TEAM, taskType, payload, runAt, null, RetryPolicy.NONE, null);
    }

    public TaskSubmission withIdempotencyKey(String key) {
        return new TaskSubmission(team, taskType, payload, runAt, key, retryPolicy, timeout, startingDeadline);
    }

    public TaskSubmission withRetry(RetryPolicy retryPolicy) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline);
    }

    public TaskSubmission withTimeout(Duration timeout) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline);
    }

    public TaskSubmission withTeam(String team) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline);
    }
}
