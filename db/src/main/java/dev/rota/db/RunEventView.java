package dev.rota.db;

import java.time.Instant;

/** One row of {@code run_event}: a result that changed nothing (stale, duplicate, unknown run). */
public record RunEventView(long id, long runId, int attempt, String kind, String workerId, String detail,
        Instant createdAt) {
}
