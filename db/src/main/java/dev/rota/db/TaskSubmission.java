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
 * @param traceparent    optional W3C trace context the run was submitted in; its task message and events carry it
 */
public record TaskSubmission(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
        RetryPolicy retryPolicy, Duration timeout, Duration startingDeadline, String traceparent) {

    /** The W3C trace-context {@code traceparent} format (version 00 and future ones, lowercase hex). */
    public static final java.util.regex.Pattern TRACEPARENT =
            java.util.regex.Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

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
        if (traceparent != null && !isTraceparent(traceparent)) {
            throw new IllegalArgumentException("traceparent must be a W3C trace context ('00-<32 hex>-<16 hex>-<2 hex>'),"
                    + " was '" + traceparent + "'");
        }
    }

    /** Whether {@code value} is a well-formed W3C {@code traceparent} (the all-zero ids and version ff are not). */
    public static boolean isTraceparent(String value) {
        return value != null && TRACEPARENT.matcher(value).matches() && !value.startsWith("ff-")
                && !value.substring(3, 35).equals("0".repeat(32)) && !value.substring(36, 52).equals("0".repeat(16));
    }

    /** A submission without a trace. */
    public TaskSubmission(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
            RetryPolicy retryPolicy, Duration timeout, Duration startingDeadline) {
        this(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline, null);
    }

    /** A submission without a starting deadline. */
    public TaskSubmission(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
            RetryPolicy retryPolicy, Duration timeout) {
        this(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, null);
    }

    /** The same submission within the trace {@code traceparent} (null for none). */
    public TaskSubmission withTraceparent(String traceparent) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline,
                traceparent);
    }

    public TaskSubmission withStartingDeadline(Duration startingDeadline) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline, traceparent);
    }

    public static TaskSubmission of(String taskType, String payload, Instant runAt) {
        return new TaskSubmission(JobSpec.DEFAULT_TEAM, taskType, payload, runAt, null, RetryPolicy.NONE, null);
    }

    public TaskSubmission withIdempotencyKey(String key) {
        return new TaskSubmission(team, taskType, payload, runAt, key, retryPolicy, timeout, startingDeadline, traceparent);
    }

    public TaskSubmission withRetry(RetryPolicy retryPolicy) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline, traceparent);
    }

    public TaskSubmission withTimeout(Duration timeout) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline, traceparent);
    }

    public TaskSubmission withTeam(String team) {
        return new TaskSubmission(team, taskType, payload, runAt, idempotencyKey, retryPolicy, timeout, startingDeadline, traceparent);
    }
}
