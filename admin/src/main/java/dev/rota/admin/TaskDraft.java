package dev.rota.admin;

import java.time.Duration;
import java.time.Instant;

/**
 * A one-off task as an operator submits it; null means the default (team {@code default}, payload
 * {@code {}}, run now, no retry, no timeout).
 *
 * @param idempotencyKey a second submission with the same key returns the first run
 */
public record TaskDraft(String team, String taskType, String payload, Instant runAt, String idempotencyKey,
        Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout) {

    public static TaskDraft of(String taskType, String payload) {
        return new TaskDraft(null, taskType, payload, null, null, null, null, null, null, null);
    }
}
