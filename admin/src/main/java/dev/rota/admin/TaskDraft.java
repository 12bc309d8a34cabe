package dev.rota.admin;

import java.time.Duration;
import java.time.Instant;

/**
 * A one-off task as an operator submits it; null means the default (team {@code default}, payload
 * {@code {}}, run now, no retry, no timeout).
 *
 * @param idempotencyKey a second submission with the same key returns the first run
 * @param startingDeadline not started this long after it is due, the task is SKIPPED; null for none
 * @param traceparent      the W3C trace context of the caller (the HTTP {@code traceparent} header); one that is
 *                         not well formed is ignored, as the W3C recommendation asks, and the run has no trace
 */
public record TaskDraft(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
        Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout,
        Duration startingDeadline, String traceparent) {

    /** A draft without a trace. */
    public TaskDraft(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
            Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout,
            Duration startingDeadline) {
        this(team, taskType, payload, runAt, idempotencyKey, maxAttempts, retryInitial, retryMultiplier, retryMax,
                timeout, startingDeadline, null);
    }

    /** The same draft within the caller's trace. */
    public TaskDraft withTraceparent(String traceparent) {
        return new TaskDraft(team, taskType, payload, runAt, idempotencyKey, maxAttempts, retryInitial, retryMultiplier,
                retryMax, timeout, startingDeadline, traceparent);
    }

    /** A draft without a starting deadline. */
    public TaskDraft(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
            Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout) {
        this(team, taskType, payload, runAt, idempotencyKey, maxAttempts, retryInitial, retryMultiplier, retryMax,
                timeout, null, null);
    }

    public static TaskDraft of(String taskType, String payload) {
        return new TaskDraft(null, taskType, payload, null, null, null, null, null, null, null);
    }
}
