package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN;
import static dev.rota.db.internal.jooq.Tables.RUN_ATTEMPT;
import static dev.rota.db.internal.jooq.Tables.RUN_EVENT;

import dev.rota.db.internal.jooq.tables.records.RunRecord;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Writes a batch of {@link RunChange}s in three statements whatever its size: one update of the run
 * rows, one of their attempt rows, and one insert of run events. Values travel as arrays through
 * {@code unnest}, so the statements' text does not grow with the batch.
 */
final class RunWriter {
    /** A {@code run_event} row to insert. */
    record Event(long runId, int attempt, String kind, String workerId, String detail) {
    }

    private static final String UPDATE_RUNS = "UPDATE {0} r SET state = u.state, worker_id = u.worker_id,"
            + " started_at = u.started_at::timestamptz, deliveries = u.deliveries,"
            + " heartbeat_at = u.heartbeat_at::timestamptz, deadline_at = u.deadline_at::timestamptz,"
            + " finished_at = u.finished_at::timestamptz, result = u.result::jsonb, error = u.error,"
            + " failures = u.failures, due_at = u.due_at::timestamptz"
            + " FROM unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13}, {14})"
            + " AS u(id, attempt, from_state, state, worker_id, started_at, deliveries, heartbeat_at, deadline_at,"
            + " finished_at, result, error, failures, due_at)"
            + " WHERE r.id = u.id AND r.attempt = u.attempt AND r.state = u.from_state RETURNING r.*";

    // An attempt's outcome is written once: a row with an outcome is left alone, as is every column the
    // change leaves null.
    private static final String UPDATE_ATTEMPTS = "UPDATE {0} a SET worker_id = coalesce(u.worker_id, a.worker_id),"
            + " started_at = coalesce(u.started_at::timestamptz, a.started_at), outcome = u.outcome,"
            + " started_by = CASE WHEN u.started_at IS NULL THEN a.started_by ELSE u.started_by END,"
            + " finished_at = CASE WHEN u.outcome IS NULL THEN a.finished_at ELSE u.finished_at::timestamptz END,"
            + " error = CASE WHEN u.outcome IS NULL THEN a.error ELSE u.error END,"
            + " log = CASE WHEN u.outcome IS NULL THEN a.log ELSE u.log END"
            + " FROM unnest({1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9})"
            + " AS u(run_id, attempt, worker_id, started_at, outcome, finished_at, error, started_by, log)"
            + " WHERE a.run_id = u.run_id AND a.attempt = u.attempt AND a.outcome IS NULL";

    private RunWriter() {
    }

    /**
     * Writes the changed runs and their attempts.
     *
     * @return the rows as written, by run id
     * @throws IllegalStateException when a conditional update did not match a locked row (a bug: the
     *     caller holds the row locks, so no race can be lost)
     */
    static Map<Long, RunRecord> write(DSLContext tx, List<RunChange> changes) {
        Map<Long, RunRecord> written = new HashMap<>();
        List<RunChange> runs = changes.stream().filter(RunChange::changed).toList();
        if (!runs.isEmpty()) {
            int n = runs.size();
            Long[] id = new Long[n];
            Integer[] attempt = new Integer[n];
            String[] from = new String[n];
            String[] state = new String[n];
            String[] worker = new String[n];
            String[] startedAt = new String[n];
            Integer[] deliveries = new Integer[n];
            String[] heartbeatAt = new String[n];
            String[] deadlineAt = new String[n];
            String[] finishedAt = new String[n];
            String[] result = new String[n];
            String[] error = new String[n];
            Integer[] failures = new Integer[n];
            String[] dueAt = new String[n];
            for (int i = 0; i < n; i++) {
                RunChange c = runs.get(i);
                RunRecord r = c.run();
                id[i] = r.getId();
                attempt[i] = c.attempt();
                from[i] = c.from().name();
                state[i] = r.getState();
                worker[i] = r.getWorkerId();
                startedAt[i] = text(r.getStartedAt());
                deliveries[i] = r.getDeliveries();
                heartbeatAt[i] = text(r.getHeartbeatAt());
                deadlineAt[i] = text(r.getDeadlineAt());
                finishedAt[i] = text(r.getFinishedAt());
                result[i] = Mapping.json(r.getResult());
                error[i] = r.getError();
                failures[i] = r.getFailures();
                dueAt[i] = text(r.getDueAt());
            }
            List<RunRecord> rows = tx.resultQuery(UPDATE_RUNS, RUN, DSL.val(id), DSL.val(attempt), DSL.val(from),
                    DSL.val(state), DSL.val(worker), DSL.val(startedAt), DSL.val(deliveries), DSL.val(heartbeatAt),
                    DSL.val(deadlineAt), DSL.val(finishedAt), DSL.val(result), DSL.val(error), DSL.val(failures),
                    DSL.val(dueAt)).fetchInto(RUN);
            if (rows.size() != n) {
                throw new IllegalStateException("conditional update of " + n + " locked runs matched " + rows.size()
                        + " rows: every locked row must match its recorded state and attempt");
            }
            rows.forEach(r -> written.put(r.getId(), r));
        }
        writeAttempts(tx, changes.stream().filter(RunChange::attemptChanged).toList());
        return written;
    }

    private static void writeAttempts(DSLContext tx, List<RunChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        int n = changes.size();
        Long[] runId = new Long[n];
        Integer[] attempt = new Integer[n];
        String[] worker = new String[n];
        String[] startedAt = new String[n];
        String[] outcome = new String[n];
        String[] finishedAt = new String[n];
        String[] error = new String[n];
        String[] startedBy = new String[n];
        String[] log = new String[n];
        for (int i = 0; i < n; i++) {
            RunChange c = changes.get(i);
            runId[i] = c.run().getId();
            attempt[i] = c.attempt();
            worker[i] = c.attemptWorker();
            startedAt[i] = text(c.attemptStartedAt());
            outcome[i] = c.attemptOutcome();
            finishedAt[i] = text(c.attemptFinishedAt());
            error[i] = c.attemptError();
            startedBy[i] = c.attemptStartedBy();
            log[i] = c.attemptLog();
        }
        tx.execute(UPDATE_ATTEMPTS, RUN_ATTEMPT, DSL.val(runId), DSL.val(attempt), DSL.val(worker), DSL.val(startedAt),
                DSL.val(outcome), DSL.val(finishedAt), DSL.val(error), DSL.val(startedBy), DSL.val(log));
    }

    /** One multi-row insert. */
    static void insertEvents(DSLContext tx, List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        var insert = tx.insertInto(RUN_EVENT, RUN_EVENT.RUN_ID, RUN_EVENT.ATTEMPT, RUN_EVENT.KIND, RUN_EVENT.WORKER_ID,
                RUN_EVENT.DETAIL);
        for (Event e : events) {
            insert = insert.values(e.runId(), e.attempt(), e.kind(), e.workerId(), e.detail());
        }
        insert.execute();
    }

    private static String text(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}
