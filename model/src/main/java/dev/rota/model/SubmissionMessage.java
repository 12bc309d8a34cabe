package dev.rota.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A request to run a task, published by a producer in any language to {@link Topology#submitExchange()}.
 * Either {@code taskType} (a one-off task) or {@code job} (trigger that job now, by name) is given. When
 * the message has {@code reply_to} and {@code correlation_id}, the leader answers with a
 * {@link SubmissionReply}. Validated by {@link #validate(int)}.
 *
 * @param version           wire format version, 1
 * @param team              team of the task, or of the job; default {@code default}
 * @param taskType          the task type of a one-off task
 * @param job               name of a job to trigger now instead (its task type, retry and timeout apply)
 * @param payload           JSON payload; for a job, replaces the job's payload when given
 * @param runAt             when to run; at most one of runAt and delay
 * @param delay             how long after the leader receives it to run
 * @param idempotencyKey    a second submission with the same key returns the first run
 * @param maxAttempts       attempts before the run is DEAD; default 1
 * @param retryInitialDelay first backoff; default PT1S
 * @param retryMultiplier   backoff multiplier; default 2.0
 * @param retryMaxDelay     largest backoff; default PT5M
 * @param timeout           limit on one attempt
 */
public record SubmissionMessage(
        int version,
        String team,
        String taskType,
        String job,
        JsonNode payload,
        Instant runAt,
        Duration delay,
        String idempotencyKey,
        Integer maxAttempts,
        Duration retryInitialDelay,
        Double retryMultiplier,
        Duration retryMaxDelay,
        Duration timeout) {

    public static final int MAX_KEY_LENGTH = 200;
    public static final Duration MAX_DELAY = Duration.ofDays(366);
    public static final int MAX_ATTEMPTS_LIMIT = 100;

    /** The team, defaulted. */
    public String teamOrDefault() {
        return team == null ? "default" : team;
    }

    /** The retry policy it asks for, defaulted. */
    public RetryPolicy retryPolicy() {
        RetryPolicy d = RetryPolicy.NONE;
        return new RetryPolicy(maxAttempts == null ? d.maxAttempts() : maxAttempts,
                retryInitialDelay == null ? d.initialDelay() : retryInitialDelay,
                retryMultiplier == null ? d.multiplier() : retryMultiplier,
                retryMaxDelay == null ? d.maxDelay() : retryMaxDelay);
    }

    /** When it should run, given the leader's receipt time. */
    public Instant runAt(Instant received) {
        if (runAt != null) {
            return runAt;
        }
        return delay == null ? received : received.plus(delay);
    }

    /**
     * @param payloadBytes the payload's size in bytes of JSON
     * @param maxPayloadBytes the cluster's limit
     * @throws MalformedMessageException naming the first problem and the limit
     */
    public void validate(int payloadBytes, int maxPayloadBytes) throws MalformedMessageException {
        check(version == TaskMessage.CURRENT_VERSION, "unsupported version " + version + " (expected "
                + TaskMessage.CURRENT_VERSION + ")");
        check(team == null || Names.isValid(team), "team '" + team + "' is invalid: use 1 to 63 letters, digits, '_' or '-'");
        check(taskType != null ^ job != null, "give exactly one of taskType and job");
        check(taskType == null || Names.isValid(taskType),
                "taskType '" + taskType + "' is invalid: use 1 to 63 letters, digits, '_' or '-'");
        check(job == null || (!job.isBlank() && job.length() <= 200), "job must be 1 to 200 characters");
        check(runAt == null || delay == null, "give at most one of runAt and delay");
        check(delay == null || (!delay.isNegative() && delay.compareTo(MAX_DELAY) <= 0),
                "delay must be between PT0S and " + MAX_DELAY + ", was " + delay);
        check(idempotencyKey == null || (!idempotencyKey.isBlank() && idempotencyKey.length() <= MAX_KEY_LENGTH),
                "idempotencyKey must be 1 to " + MAX_KEY_LENGTH + " characters");
        check(maxAttempts == null || (maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS_LIMIT),
                "maxAttempts must be 1 to " + MAX_ATTEMPTS_LIMIT + ", was " + maxAttempts);
        check(retryInitialDelay == null || !retryInitialDelay.isNegative(), "retryInitialDelay must not be negative");
        check(retryMaxDelay == null || !retryMaxDelay.isNegative(), "retryMaxDelay must not be negative");
        check(retryMultiplier == null || retryMultiplier >= 1.0, "retryMultiplier must be at least 1.0, was " + retryMultiplier);
        check(timeout == null || (!timeout.isNegative() && !timeout.isZero()), "timeout must be positive, was " + timeout);
        check(payload == null || payload.isObject() || payload.isArray(), "payload must be a JSON object or array");
        check(payloadBytes <= maxPayloadBytes,
                "payload is " + payloadBytes + " bytes, over the limit of " + maxPayloadBytes + " bytes");
    }

    private static void check(boolean ok, String reason) throws MalformedMessageException {
        if (!ok) {
            throw new MalformedMessageException(reason);
        }
    }
}
