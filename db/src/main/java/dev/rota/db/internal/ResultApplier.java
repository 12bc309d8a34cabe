package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN;

import dev.rota.db.Runs.ResultKind;
import dev.rota.db.Runs.ResultOutcome;
import dev.rota.db.RunView;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Applies a batch of worker results inside the caller's fenced transaction, in a fixed number of
 * statements: it locks the batch's runs in id order with one {@code SELECT ... FOR UPDATE}, folds each
 * run's results in the batch's order in memory, and writes through {@link RunWriter}. A result only
 * counts for the run's current attempt while that attempt is in flight; anything else is recorded in
 * {@code run_event} and changes nothing, so a final state is never overwritten. Text from workers is
 * {@linkplain Text cleaned} first.
 */
final class ResultApplier {
    private final DoubleSupplier jitter;

    ResultApplier(DoubleSupplier jitter) {
        this.jitter = jitter;
    }

    List<ResultOutcome> apply(DSLContext tx, OffsetDateTime now, List<ResultMessage> batch, Duration grace,
            Duration lockWait) {
        List<ResultMessage> messages = batch.stream().map(Text::clean).toList();
        Set<Long> busy = new HashSet<>();
        Map<Long, RunChange> changes = lock(tx, messages, lockWait, busy);
        List<RunWriter.Event> events = new ArrayList<>();
        ResultOutcome[] outcomes = new ResultOutcome[messages.size()];
        // Outcomes taken after a run's last change get the row as written (PostgreSQL normalises jsonb).
        Map<Long, List<Integer>> sinceLastChange = new HashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            ResultMessage m = messages.get(i);
            RunChange change = changes.get(m.runId());
            if (busy.contains(m.runId())) {
                outcomes[i] = new ResultOutcome(batch.get(i), ResultKind.BUSY, null);
                continue;
            }
            if (change == null) {
                events.add(event(m, "UNKNOWN_RUN", m.status() + " for a run that does not exist"));
                outcomes[i] = new ResultOutcome(batch.get(i), ResultKind.UNKNOWN, null);
                continue;
            }
            RunState state = change.state();
            ResultKind kind;
            if (m.attempt() != change.attempt() || !state.isInFlight()) {
                if (m.status() != ResultStatus.HEARTBEAT) {
                    boolean duplicate = m.attempt() == change.attempt();
                    events.add(event(m, duplicate ? "DUPLICATE_RESULT" : "STALE_RESULT",
                            m.status() + " for attempt " + m.attempt() + " while the run is " + state + " at attempt "
                                    + change.attempt() + (m.error() == null ? "" : ": " + m.error())));
                }
                kind = ResultKind.STALE;
            } else if (change.senderRefusal(m) != null) {
                events.add(event(m, "FORGED_RESULT", change.senderRefusal(m)));
                kind = ResultKind.FORGED;
            } else {
                apply(change, m, now, grace);
                change.bindSender(m.sender());
                sinceLastChange.put(m.runId(), new ArrayList<>());
                kind = ResultKind.APPLIED;
            }
            sinceLastChange.computeIfAbsent(m.runId(), id -> new ArrayList<>()).add(i);
            outcomes[i] = new ResultOutcome(batch.get(i), kind, Mapping.run(change.run()));
        }
        Map<Long, RunRecord> written = RunWriter.write(tx, List.copyOf(changes.values()));
        RunWriter.insertEvents(tx, events);
        written.forEach((id, row) -> {
            RunView view = Mapping.run(row);
            for (int i : sinceLastChange.get(id)) {
                outcomes[i] = new ResultOutcome(outcomes[i].result(), outcomes[i].kind(), view);
            }
        });
        return List.of(outcomes);
    }

    /**
     * Locks every run the batch names, in id order (as every other writer does, so none deadlock). With a
     * {@code wait}, it takes at once what it can ({@code SKIP LOCKED}) and then waits at most {@code wait}
     * for the rows other transactions hold, inside a savepoint: a lock that does not come in time rolls
     * back only the wait, and those runs are {@code busy}. Waiting for rows after holding higher ids breaks
     * the id order, but the wait is bounded below PostgreSQL's deadlock timeout, so it gives up first.
     */
    private static Map<Long, RunChange> lock(DSLContext tx, List<ResultMessage> messages, Duration wait,
            Set<Long> busy) {
        TreeSet<Long> ids = new TreeSet<>();
        messages.forEach(m -> ids.add(m.runId()));
        var select = tx.selectFrom(RUN).where(RUN.ID.eq(DSL.any(ids.toArray(Long[]::new)))).orderBy(RUN.ID).forUpdate();
        Map<Long, RunRecord> rows = new java.util.TreeMap<>();
        (wait == null ? select : select.skipLocked()).fetch().forEach(r -> rows.put(r.getId(), r));
        ids.removeAll(rows.keySet());
        if (wait != null && !ids.isEmpty()) {
            waitForHeld(tx, ids, wait, rows, busy);
        }
        Map<Long, RunChange> changes = new java.util.LinkedHashMap<>();
        rows.values().forEach(r -> changes.put(r.getId(), new RunChange(r)));
        SenderCheck.load(tx, changes);
        return changes;
    }

    /** Of {@code missing}, the runs that exist are held elsewhere: locks them within {@code wait}, or names them busy. */
    private static void waitForHeld(DSLContext tx, Set<Long> missing, Duration wait, Map<Long, RunRecord> rows,
            Set<Long> busy) {
        Long[] held = tx.select(RUN.ID).from(RUN).where(RUN.ID.eq(DSL.any(missing.toArray(Long[]::new))))
                .orderBy(RUN.ID).fetchArray(RUN.ID);
        if (held.length == 0) {
            return;
        }
        String before = String.valueOf(tx.fetchValue("SELECT current_setting('lock_timeout')"));
        tx.execute("SAVEPOINT rota_result_lock");
        tx.fetchValue("SELECT set_config('lock_timeout', {0}, true)", DSL.val(Math.max(1, wait.toMillis()) + "ms"));
        try {
            tx.selectFrom(RUN).where(RUN.ID.eq(DSL.any(held))).orderBy(RUN.ID).forUpdate().fetch()
                    .forEach(r -> rows.put(r.getId(), r));
            tx.execute("RELEASE SAVEPOINT rota_result_lock");
            tx.fetchValue("SELECT set_config('lock_timeout', {0}, true)", DSL.val(before));
        } catch (org.jooq.exception.DataAccessException e) {
            if (!LOCK_NOT_AVAILABLE.equals(e.sqlState())) {
                throw e;
            }
            tx.execute("ROLLBACK TO SAVEPOINT rota_result_lock");
            busy.addAll(List.of(held));
        }
    }

    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private void apply(RunChange c, ResultMessage m, OffsetDateTime now, Duration grace) {
        OffsetDateTime startedAt = Mapping.offset(m.startedAt());
        String result = m.result() == null ? null : m.result().toString();
        switch (m.status()) {
            case STARTED, HEARTBEAT -> c.start(m.workerId(), m.status() == ResultStatus.STARTED, now, grace);
            case SUCCEEDED -> c.finish(RunState.SUCCEEDED, "SUCCEEDED", m.workerId(), startedAt, now, result, null);
            case CANCELLED -> c.finish(RunState.CANCELLED, "CANCELLED", m.workerId(), startedAt, now, null, m.error());
            case REJECTED -> c.finish(RunState.FAILED, "REJECTED", m.workerId(), startedAt, now, null,
                    "rejected by worker " + m.workerId() + ": " + m.error());
            case SKIPPED -> c.finish(RunState.SKIPPED, "SKIPPED", m.workerId(), null, now, null,
                    "skipped by worker " + m.workerId() + ": " + m.error());
            case FAILED -> c.fail(RunState.FAILED, "FAILED", m.workerId(), startedAt, now, m.error(), jitter);
            case TIMED_OUT -> c.fail(RunState.TIMED_OUT, "TIMED_OUT", m.workerId(), startedAt, now, m.error(), jitter);
        }
        if (m.status() != ResultStatus.STARTED && m.status() != ResultStatus.HEARTBEAT) {
            c.attemptLog(m.log());
        }
    }

    /** Runs past their deadline, locked by the caller: each is retried, or ends TIMED_OUT (or DEAD). */
    List<RunView> timeOut(DSLContext tx, OffsetDateTime now, List<RunRecord> overdue) {
        List<RunChange> changes = new ArrayList<>(overdue.size());
        for (RunRecord r : overdue) {
            RunChange c = new RunChange(r);
            c.fail(RunState.TIMED_OUT, "TIMED_OUT", null, null, now,
                    "no result from worker " + r.getWorkerId() + " by the deadline " + r.getDeadlineAt().toInstant(), jitter);
            changes.add(c);
        }
        Map<Long, RunRecord> written = RunWriter.write(tx, changes);
        return overdue.stream().map(r -> Mapping.run(written.get(r.getId()))).toList();
    }

    private static RunWriter.Event event(ResultMessage m, String kind, String detail) {
        return new RunWriter.Event(m.runId(), m.attempt(), kind, m.workerId(), detail);
    }
}
