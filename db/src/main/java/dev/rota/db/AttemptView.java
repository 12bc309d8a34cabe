package dev.rota.db;

import java.time.Instant;

/** One row of {@code run_attempt}: one dispatch of a run and how it ended ({@code outcome} null while open). */
public record AttemptView(long runId, int attempt, long epoch, String workerId, String outcome, Instant dispatchedAt,
        Instant startedAt, Instant finishedAt, String error) {
}
