package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.JOB;
import static dev.rota.db.internal.jooq.Tables.RUN;

import dev.rota.db.BrokerClients;
import dev.rota.db.TaskSubmission;
import dev.rota.db.internal.jooq.tables.records.JobRecord;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.RetryPolicy;
import dev.rota.model.RunState;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.InsertSetMoreStep;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * {@link BrokerClients} through jOOQ. The {@code broker_worker} and {@code rejected_message} tables are
 * reached with plain SQL (their rows are simple and keeping them out of the generated classes keeps the
 * generated code stable); runs go through the generated {@code RUN} table like every other insert.
 */
public final class JooqBrokerClients implements BrokerClients {
    static final int BODY_PREFIX_BYTES = 4096;

    private final DSLContext dsl;

    public JooqBrokerClients(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<SubmitResult> submit(long epoch, List<Submission> submissions) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            List<SubmitResult> out = new ArrayList<>(submissions.size());
            for (Submission s : submissions) {
                out.add(s.jobName() == null ? oneOff(tx, s.task()) : trigger(tx, s));
            }
            return out;
        });
    }

    private SubmitResult oneOff(DSLContext tx, TaskSubmission s) {
        InsertSetMoreStep<RunRecord> insert = tx.insertInto(RUN)
                .set(RUN.TEAM, s.team())
                .set(RUN.TASK_TYPE, s.taskType())
                .set(RUN.PAYLOAD, Mapping.jsonb(s.payload()));
        RunRecord r = common(insert, s, s.retryPolicy(), s.timeout() == null ? null : s.timeout().toMillis())
                .onConflictDoNothing().returning().fetchOne();
        if (r != null) {
            return new SubmitResult(SubmitStatus.ACCEPTED, Mapping.run(r), null);
        }
        return new SubmitResult(SubmitStatus.DUPLICATE,
                Mapping.run(tx.selectFrom(RUN).where(RUN.IDEMPOTENCY_KEY.eq(s.idempotencyKey())).fetchSingle()), null);
    }

    private SubmitResult trigger(DSLContext tx, Submission sub) {
        TaskSubmission s = sub.task();
        JobRecord job = tx.selectFrom(JOB).where(JOB.TEAM.eq(s.team()), JOB.NAME.eq(sub.jobName())).fetchOne();
        if (job == null) {
            return new SubmitResult(SubmitStatus.REJECTED, null,
                    "no job named '" + sub.jobName() + "' in team '" + s.team() + "'");
        }
        RetryPolicy retry = Mapping.retry(job.getMaxAttempts(), job.getRetryInitialMs(), job.getRetryMultiplier(),
                job.getRetryMaxMs());
        InsertSetMoreStep<RunRecord> insert = tx.insertInto(RUN)
                .set(RUN.JOB_ID, job.getId())
                .set(RUN.JOB_NAME, job.getName())
                .set(RUN.TEAM, job.getTeam())
                .set(RUN.TASK_TYPE, job.getTaskType())
                .set(RUN.PAYLOAD, sub.payloadGiven() ? Mapping.jsonb(s.payload()) : job.getPayload());
        RunRecord r = common(insert, s, retry, job.getTimeoutMs()).onConflictDoNothing().returning().fetchOne();
        if (r != null) {
            return new SubmitResult(SubmitStatus.ACCEPTED, Mapping.run(r), null);
        }
        RunRecord first = s.idempotencyKey() != null
                ? tx.selectFrom(RUN).where(RUN.IDEMPOTENCY_KEY.eq(s.idempotencyKey())).fetchOne()
                : null;
        if (first == null) {
            first = tx.selectFrom(RUN).where(RUN.JOB_ID.eq(job.getId()), RUN.SCHEDULED_AT.eq(Mapping.offset(s.runAt())))
                    .fetchSingle();
        }
        return new SubmitResult(SubmitStatus.DUPLICATE, Mapping.run(first), null);
    }

    private static InsertSetMoreStep<RunRecord> common(InsertSetMoreStep<RunRecord> insert, TaskSubmission s,
            RetryPolicy retry, Long timeoutMs) {
        return insert
                .set(RUN.SCHEDULED_AT, Mapping.offset(s.runAt()))
                .set(RUN.DUE_AT, Mapping.offset(s.runAt()))
                .set(RUN.STATE, RunState.SCHEDULED.name())
                .set(RUN.MAX_ATTEMPTS, retry.maxAttempts())
                .set(RUN.RETRY_INITIAL_MS, retry.initialDelay().toMillis())
                .set(RUN.RETRY_MULTIPLIER, retry.multiplier())
                .set(RUN.RETRY_MAX_MS, retry.maxDelay().toMillis())
                .set(RUN.TIMEOUT_MS, timeoutMs)
                .set(RUN.IDEMPOTENCY_KEY, s.idempotencyKey())
                .set(RUN.TRACEPARENT, s.traceparent());
    }

    @Override
    public void saveWorkerSettings(long epoch, String settingsJson) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            tx.execute("INSERT INTO worker_settings (id, settings, epoch) VALUES (1, {0}::jsonb, {1})"
                    + " ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings, epoch = EXCLUDED.epoch,"
                    + " updated_at = now()", DSL.val(settingsJson), DSL.val(epoch));
        });
    }

    @Override
    public void recordRejected(Source source, String reason, byte[] body, String correlationId, String replyTo) {
        byte[] b = body == null ? new byte[0] : body;
        dsl.execute("INSERT INTO rejected_message (source, reason, body, body_bytes, correlation_id, reply_to)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                source.name(), reason, prefix(b), b.length, correlationId, replyTo);
    }

    /** The body's first bytes as text; invalid UTF-8 and NUL (which PostgreSQL text refuses) replaced. */
    static String prefix(byte[] body) {
        byte[] head = Arrays.copyOf(body, Math.min(body.length, BODY_PREFIX_BYTES));
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(head)).toString();
        } catch (CharacterCodingException e) {
            text = new String(head, StandardCharsets.ISO_8859_1);
        }
        return text.replace('\u0000', '\uFFFD');
    }

    @Override
    public List<Rejected> rejected(int limit) {
        List<Rejected> out = new ArrayList<>();
        for (Record r : dsl.fetch("SELECT id, source, reason, body, body_bytes, correlation_id, created_at"
                + " FROM rejected_message ORDER BY id DESC LIMIT ?", limit)) {
            out.add(new Rejected(r.get(0, Long.class), Source.valueOf(r.get(1, String.class)), r.get(2, String.class),
                    r.get(3, String.class), r.get(4, Integer.class), r.get(5, String.class),
                    Mapping.instant(r.get(6, OffsetDateTime.class))));
        }
        return out;
    }

    @Override
    public WorkerState heard(BrokerWorker w) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Record before = tx.fetchOne("SELECT state FROM broker_worker WHERE id = ? FOR UPDATE", w.id());
            String[] types = w.taskTypes() == null ? null : w.taskTypes().toArray(String[]::new);
            if (before == null) {
                tx.execute("INSERT INTO broker_worker (id, task_types, capacity, worker_version, language,"
                                + " heartbeats_while_running, state, announced_at, last_seen_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, 'ALIVE', now(), now())",
                        w.id(), types == null ? new String[0] : types, Math.max(1, w.capacity()), w.workerVersion(),
                        w.language(), w.heartbeatsWhileRunning());
                return null;
            }
            tx.execute("UPDATE broker_worker SET state = 'ALIVE', last_seen_at = now(),"
                            + " task_types = coalesce(?::text[], task_types),"
                            + " capacity = CASE WHEN ?::int >= 1 THEN ?::int ELSE capacity END,"
                            + " worker_version = coalesce(?::text, worker_version), language = coalesce(?::text, language),"
                            + " heartbeats_while_running = ?,"
                            + " announced_at = CASE WHEN state IN ('LEFT', 'LOST') THEN now() ELSE announced_at END"
                            + " WHERE id = ?",
                    types, w.capacity(), w.capacity(), w.workerVersion(), w.language(), w.heartbeatsWhileRunning(), w.id());
            return WorkerState.valueOf(before.get(0, String.class));
        });
    }

    @Override
    public boolean transition(String id, WorkerState from, WorkerState to) {
        int n = dsl.execute("UPDATE broker_worker SET state = ? WHERE id = ? AND state = ?", to.name(), id, from.name());
        if (n > 1) {
            throw new IllegalStateException("updated " + n + " broker workers with id " + id);
        }
        return n == 1;
    }

    @Override
    public List<BrokerWorker> workers() {
        List<BrokerWorker> out = new ArrayList<>();
        for (Record r : dsl.fetch("SELECT id, task_types, capacity, worker_version, language, heartbeats_while_running,"
                + " state, announced_at, last_seen_at FROM broker_worker ORDER BY id")) {
            out.add(new BrokerWorker(r.get(0, String.class), new LinkedHashSet<>(Arrays.asList(r.get(1, String[].class))),
                    r.get(2, Integer.class), r.get(3, String.class), r.get(4, String.class), r.get(5, Boolean.class),
                    WorkerState.valueOf(r.get(6, String.class)), Mapping.instant(r.get(7, OffsetDateTime.class)),
                    Mapping.instant(r.get(8, OffsetDateTime.class))));
        }
        return out;
    }
}
