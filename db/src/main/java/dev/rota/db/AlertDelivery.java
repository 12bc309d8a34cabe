package dev.rota.db;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One alert for one rule ({@code alert_delivery}) and the attempts made to deliver it.
 *
 * @param eventKey  what identifies the event: at most one delivery per rule and event key
 * @param payload   the event as JSON (the body sent adds {@code deliveryId}, {@code deliveryAttempt} and {@code sentAt})
 * @param attempts  attempts claimed so far
 * @param lastStatus the HTTP status of the last finished attempt, or null (none, or no response)
 */
public record AlertDelivery(long id, long ruleId, String eventKey, AlertKind kind, String payload, Status status,
        int attempts, Instant nextAttemptAt, Integer lastStatus, String lastError, Instant createdAt,
        Instant deliveredAt, List<Attempt> attemptLog) {

    public enum Status {
        /** Not delivered yet; another attempt is due at {@code nextAttemptAt}. */
        PENDING,
        /** A receiver answered 2xx. */
        DELIVERED,
        /** Every allowed attempt failed; no more are made. */
        FAILED
    }

    /**
     * One attempt. {@code finishedAt} null: the sender stopped (a leader change, a crash) before it knew the
     * outcome; the delivery is claimed again once the claim expires.
     */
    public record Attempt(int attempt, long epoch, Instant startedAt, Instant finishedAt, Integer httpStatus,
            String error) {
        /** How long the attempt took, or null while unfinished. */
        public Duration took() {
            return finishedAt == null ? null : Duration.between(startedAt, finishedAt);
        }
    }

    public AlertDelivery {
        attemptLog = List.copyOf(attemptLog);
    }
}
