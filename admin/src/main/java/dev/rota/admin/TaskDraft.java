package dev.rota.admin;

import java.time.Duration;
import java.time.Instant;

/**
 * A one-off task as an operator submits it; null means the default (team {@code default}, payload
 * {@code {}}, run now, no retry, no timeout).
 *
 * @param idempotencyKey a second submission with the same key returns the first run
 * @param startingDeadline not started this long after it is due, the task is SKIPPED; null for none
 */
public record TaskDraft(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
        Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout,
        Duration startingDeadline) {

    /** A draft without a starting deadline. */
    public TaskDraft(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
            Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout) {
        this(team, taskType, payload, runAt, idempotencyKey, maxAttempts, retryInitial, retryMultiplier, retryMax,
                timeout, null);
    }

    public static TaskDraft of(String taskType, String payload) {
        return new TaskDraft(null, taskType, payload, null, null, null, null, null, null, null);
    }
}
