package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN_ATTEMPT;

import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.RunState;
import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/** Helpers shared by the run writers: checking a conditional update's outcome and the attempt log. */
final class Transitions {
    private Transitions() {
    }

    /**
     * A conditional update of one run returned {@code updated}; null means the row did not match (the
     * caller holds the row lock, so that is a bug, not a lost race).
     */
    static RunRecord requireOne(RunRecord updated, long runId, RunState from, RunState to) {
        if (updated == null) {
            throw new IllegalStateException("run " + runId + ": conditional update " + from + " -> " + to
                    + " matched no row although the row was locked");
        }
        return updated;
    }

    static void openAttempt(DSLContext tx, long runId, int attempt, long epoch, OffsetDateTime now) {
        tx.insertInto(RUN_ATTEMPT)
                .set(RUN_ATTEMPT.RUN_ID, runId)
                .set(RUN_ATTEMPT.ATTEMPT, attempt)
                .set(RUN_ATTEMPT.EPOCH, epoch)
                .set(RUN_ATTEMPT.DISPATCHED_AT, now)
                .onConflictDoNothing()
                .execute();
    }

    /** One multi-row insert for a batch of newly dispatched attempts. */
    static void openAttempts(DSLContext tx, java.util.List<RunRecord> runs, long epoch, OffsetDateTime now) {
        if (runs.isEmpty()) {
            return;
        }
        var insert = tx.insertInto(RUN_ATTEMPT, RUN_ATTEMPT.RUN_ID, RUN_ATTEMPT.ATTEMPT, RUN_ATTEMPT.EPOCH,
                RUN_ATTEMPT.DISPATCHED_AT);
        for (RunRecord r : runs) {
            insert = insert.values(r.getId(), r.getAttempt(), epoch, r.getDispatchedAt() != null ? r.getDispatchedAt() : now);
        }
        insert.onConflictDoNothing().execute();
    }

    static void startAttempt(DSLContext tx, long runId, int attempt, String workerId, OffsetDateTime now) {
        tx.update(RUN_ATTEMPT)
                .set(RUN_ATTEMPT.WORKER_ID, workerId)
                .set(RUN_ATTEMPT.STARTED_AT, now)
                .where(RUN_ATTEMPT.RUN_ID.eq(runId), RUN_ATTEMPT.ATTEMPT.eq(attempt), RUN_ATTEMPT.OUTCOME.isNull())
                .execute();
    }

    /** Writes an attempt's outcome once: a second outcome for the same attempt changes nothing. */
    static void closeAttempt(DSLContext tx, long runId, int attempt, String outcome, String workerId,
            OffsetDateTime now, String error) {
        var update = tx.update(RUN_ATTEMPT)
                .set(RUN_ATTEMPT.OUTCOME, outcome)
                .set(RUN_ATTEMPT.FINISHED_AT, now)
                .set(RUN_ATTEMPT.ERROR, error);
        if (workerId != null) {
            update = update.set(RUN_ATTEMPT.WORKER_ID, workerId);
        }
        update.where(RUN_ATTEMPT.RUN_ID.eq(runId), RUN_ATTEMPT.ATTEMPT.eq(attempt), RUN_ATTEMPT.OUTCOME.isNull())
                .execute();
    }
}
