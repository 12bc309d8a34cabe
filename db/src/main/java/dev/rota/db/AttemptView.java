package dev.rota.db;

import java.time.Instant;

/**
 * One row of {@code run_attempt}: one dispatch of a run and how it ended ({@code outcome} null while open).
 *
 * @param log what the handler wrote to the attempt's log, sent with its final result; null for none (at
 *            most {@link dev.rota.model.RunLog#MAX_BYTES} of UTF-8, ending with the truncation marker when cut)
 */
public record AttemptView(long runId, int attempt, long epoch, String workerId, String outcome, Instant dispatchedAt,
        Instant startedAt, Instant finishedAt, String error, String log) {

    /** An attempt without a log. */
    public AttemptView(long runId, int attempt, long epoch, String workerId, String outcome, Instant dispatchedAt,
            Instant startedAt, Instant finishedAt, String error) {
        this(runId, attempt, epoch, workerId, outcome, dispatchedAt, startedAt, finishedAt, error, null);
    }
}
