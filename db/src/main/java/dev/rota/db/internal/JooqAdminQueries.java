package dev.rota.db.internal;

import static dev.rota.db.internal.AdminTables.AUDIT;
import static dev.rota.db.internal.AdminTables.AUDIT_ACTION;
import static dev.rota.db.internal.AdminTables.AUDIT_ACTOR;
import static dev.rota.db.internal.AdminTables.AUDIT_AFTER;
import static dev.rota.db.internal.AdminTables.AUDIT_BEFORE;
import static dev.rota.db.internal.AdminTables.AUDIT_CREATED_AT;
import static dev.rota.db.internal.AdminTables.AUDIT_ID;
import static dev.rota.db.internal.AdminTables.AUDIT_TARGET;
import static dev.rota.db.internal.AdminTables.AUDIT_TEAM;
import static dev.rota.db.internal.AdminTables.RUN_TRIGGERED_BY;
import static dev.rota.db.internal.jooq.Tables.JOB;
import static dev.rota.db.internal.jooq.Tables.RUN;
import static dev.rota.db.internal.jooq.Tables.RUN_ATTEMPT;
import static dev.rota.db.internal.jooq.Tables.RUN_EVENT;

import dev.rota.db.AdminQueries;
import dev.rota.db.AttemptView;
import dev.rota.db.ClusterLoad;
import dev.rota.db.AuditEntry;
import dev.rota.db.AuditEvent;
import dev.rota.db.JobDefinition;
import dev.rota.db.JobExistsException;
import dev.rota.db.JobFilter;
import dev.rota.db.JobRunStats;
import dev.rota.db.JobSpec;
import dev.rota.db.RunEventView;
import dev.rota.db.RunFilter;
import dev.rota.db.RunView;
import dev.rota.db.VersionConflictException;
import dev.rota.db.internal.jooq.tables.records.JobRecord;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.RunState;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;

/** {@link AdminQueries} through jOOQ. Job writes lock the row, check the version, write, and audit in one transaction. */
public final class JooqAdminQueries implements AdminQueries {
    private final DSLContext dsl;

    public JooqAdminQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<JobDefinition> jobs(JobFilter f) {
        Condition c = DSL.trueCondition();
        if (f.teams() != null) {
            c = c.and(JOB.TEAM.in(f.teams()));
        }
        if (f.taskType() != null) {
            c = c.and(JOB.TASK_TYPE.eq(f.taskType()));
        }
        if (f.enabled() != null) {
            c = c.and(JOB.ENABLED.eq(f.enabled()));
        }
        if (f.text() != null) {
            c = c.and(JOB.NAME.containsIgnoreCase(f.text()));
        }
        if (f.afterTeam() != null) {
            c = c.and(DSL.row(JOB.TEAM, JOB.NAME).gt(f.afterTeam(), f.afterName()));
        }
        if (f.failing() != null) {
            c = c.and(f.failing() ? failing() : DSL.not(failing()));
        }
        return dsl.selectFrom(JOB).where(c).orderBy(JOB.TEAM, JOB.NAME).limit(f.limit()).fetch(Mapping::job);
    }

    /**
     * The job's latest finished run (by schedule, through run_list_job_idx) ended FAILED, TIMED_OUT or DEAD.
     * A run retrying is SCHEDULED again, not finished, so it does not count until its retries run out.
     */
    private static Condition failing() {
        var latest = DSL.select(RUN.STATE).from(RUN)
                .where(RUN.JOB_ID.eq(JOB.ID), RUN.STATE.in(FINAL_STATES))
                .orderBy(RUN.SCHEDULED_AT.desc(), RUN.ID.desc()).limit(1);
        return DSL.coalesce(DSL.field(latest), DSL.inline("")).in(FAILING_STATES);
    }

    private static final List<String> FINAL_STATES = java.util.Arrays.stream(RunState.values())
            .filter(RunState::isFinal).map(RunState::name).toList();
    private static final List<String> FAILING_STATES = List.of(RunState.FAILED.name(), RunState.TIMED_OUT.name(),
            RunState.DEAD.name());

    @Override
    public List<RunView> runs(RunFilter f) {
        return dsl.selectFrom(RUN).where(runCondition(f, true)).orderBy(RUN.SCHEDULED_AT.desc(), RUN.ID.desc())
                .limit(f.limit()).fetch(Mapping::run);
    }

    @Override
    public long countRuns(RunFilter f) {
        return dsl.fetchCount(RUN, runCondition(f, false));
    }

    @Override
    public List<Long> runIds(RunFilter f) {
        return dsl.select(RUN.ID).from(RUN).where(runCondition(f, true))
                .orderBy(RUN.SCHEDULED_AT.desc(), RUN.ID.desc()).limit(f.limit()).fetch(RUN.ID);
    }

    private static Condition runCondition(RunFilter f, boolean keyed) {
        Condition c = DSL.trueCondition();
        if (f.teams() != null) {
            c = c.and(RUN.TEAM.in(f.teams()));
        }
        if (f.jobId() != null) {
            c = c.and(RUN.JOB_ID.eq(f.jobId()));
        }
        if (f.jobName() != null) {
            c = c.and(RUN.JOB_NAME.eq(f.jobName()));
        }
        if (f.taskType() != null) {
            c = c.and(RUN.TASK_TYPE.eq(f.taskType()));
        }
        if (f.states() != null) {
            c = c.and(RUN.STATE.in(f.states().stream().map(RunState::name).toList()));
        }
        if (f.scheduledFrom() != null) {
            c = c.and(RUN.SCHEDULED_AT.ge(Mapping.offset(f.scheduledFrom())));
        }
        if (f.scheduledTo() != null) {
            c = c.and(RUN.SCHEDULED_AT.lt(Mapping.offset(f.scheduledTo())));
        }
        if (f.text() != null) {
            c = c.and(RUN.JOB_NAME.containsIgnoreCase(f.text()).or(RUN.ERROR.containsIgnoreCase(f.text())));
        }
        if (keyed && f.afterScheduled() != null) {
            c = c.and(DSL.row(RUN.SCHEDULED_AT, RUN.ID).lt(Mapping.offset(f.afterScheduled()), f.afterId()));
        }
        return c;
    }

    @Override
    public List<AttemptView> attempts(long runId) {
        return dsl.select(RUN_ATTEMPT.fields()).select(AdminTables.ATTEMPT_LOG).from(RUN_ATTEMPT)
                .where(RUN_ATTEMPT.RUN_ID.eq(runId)).orderBy(RUN_ATTEMPT.ATTEMPT)
                .fetch(row -> {
                    var r = row.into(RUN_ATTEMPT);
                    return new AttemptView(r.getRunId(), r.getAttempt(), r.getEpoch(), r.getWorkerId(), r.getOutcome(),
                            Mapping.instant(r.getDispatchedAt()), Mapping.instant(r.getStartedAt()),
                            Mapping.instant(r.getFinishedAt()), r.getError(), row.get(AdminTables.ATTEMPT_LOG));
                });
    }

    @Override
    public List<RunEventView> events(long runId) {
        return dsl.selectFrom(RUN_EVENT).where(RUN_EVENT.RUN_ID.eq(runId)).orderBy(RUN_EVENT.ID)
                .fetch(r -> new RunEventView(r.getId(), r.getRunId(), r.getAttempt(), r.getKind(), r.getWorkerId(),
                        r.getDetail(), Mapping.instant(r.getCreatedAt())));
    }

    @Override
    public JobDefinition createJob(JobSpec spec, AuditEntry audit) {
        return uniqueName(spec, () -> dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JobRecord r = tx.insertInto(JOB).set(jobValues(spec)).returning().fetchSingle();
            AdminTables.insertAudit(tx, audit, null, jobJson(tx, r.getId()));
            return Mapping.job(r);
        }));
    }

    @Override
    public Optional<JobDefinition> updateJob(long id, Long expectedVersion, JobSpec spec, AuditEntry audit) {
        return uniqueName(spec, () -> writeJob(id, expectedVersion, audit,
                tx -> tx.update(JOB).set(jobValues(spec)).where(JOB.ID.eq(id)).returning().fetchSingle()));
    }

    @Override
    public Optional<JobDefinition> setEnabled(long id, Long expectedVersion, boolean enabled, AuditEntry audit) {
        return writeJob(id, expectedVersion, audit,
                tx -> tx.update(JOB).set(JOB.ENABLED, enabled).where(JOB.ID.eq(id)).returning().fetchSingle());
    }

    @Override
    public Optional<JobDefinition> deleteJob(long id, Long expectedVersion, AuditEntry audit) {
        return writeJob(id, expectedVersion, audit,
                tx -> tx.deleteFrom(JOB).where(JOB.ID.eq(id)).returning().fetchSingle());
    }

    private Optional<JobDefinition> writeJob(long id, Long expectedVersion, AuditEntry audit,
            Function<DSLContext, JobRecord> write) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<Long> version = tx.select(JOB.VERSION).from(JOB).where(JOB.ID.eq(id)).forUpdate()
                    .fetchOptional(JOB.VERSION);
            if (version.isEmpty()) {
                return Optional.<JobDefinition>empty();
            }
            if (expectedVersion != null && !expectedVersion.equals(version.get())) {
                throw new VersionConflictException(id, expectedVersion, version.get());
            }
            String before = jobJson(tx, id);
            JobRecord after = write.apply(tx);
            AdminTables.insertAudit(tx, audit, before, jobJson(tx, id));
            return Optional.of(Mapping.job(after));
        });
    }

    private static <T> T uniqueName(JobSpec spec, java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (org.jooq.exception.DataAccessException e) {
            if (String.valueOf(e.getMessage()).contains("job_team_name_key")) {
                throw new JobExistsException(spec.team(), spec.name());
            }
            throw e;
        }
    }

    private static java.util.Map<org.jooq.Field<?>, Object> jobValues(JobSpec spec) {
        java.util.Map<org.jooq.Field<?>, Object> v = new java.util.LinkedHashMap<>();
        v.put(JOB.TEAM, spec.team());
        v.put(JOB.NAME, spec.name());
        v.put(JOB.CRON, spec.cron());
        v.put(JOB.TIME_ZONE, spec.timeZone());
        v.put(JOB.TASK_TYPE, spec.taskType());
        v.put(JOB.PAYLOAD, JSONB.valueOf(spec.payload()));
        v.put(JOB.ENABLED, spec.enabled());
        v.put(JOB.MISFIRE_POLICY, spec.misfirePolicy().name());
        v.put(JOB.MISFIRE_LIMIT, spec.misfireLimit());
        v.put(JOB.CONCURRENCY_POLICY, spec.concurrencyPolicy().name());
        v.put(JOB.MAX_ATTEMPTS, spec.retryPolicy().maxAttempts());
        v.put(JOB.RETRY_INITIAL_MS, spec.retryPolicy().initialDelay().toMillis());
        v.put(JOB.RETRY_MULTIPLIER, spec.retryPolicy().multiplier());
        v.put(JOB.RETRY_MAX_MS, spec.retryPolicy().maxDelay().toMillis());
        v.put(JOB.TIMEOUT_MS, Mapping.millis(spec.timeout()));
        v.put(JOB.STARTING_DEADLINE_MS, Mapping.millis(spec.startingDeadline()));
        return v;
    }

    @Override
    public Optional<RunView> trigger(long jobId, AuditEntry audit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<JobRecord> found = tx.selectFrom(JOB).where(JOB.ID.eq(jobId)).forKeyShare().fetchOptional();
            if (found.isEmpty()) {
                return Optional.<RunView>empty();
            }
            JobDefinition job = Mapping.job(found.get());
            OffsetDateTime now = JooqRuns.now(tx);
            RunRecord r = tx.insertInto(RUN)
                    .set(RUN.JOB_ID, job.id())
                    .set(RUN.JOB_NAME, job.name())
                    .set(RUN.TEAM, job.team())
                    .set(RUN.TASK_TYPE, job.taskType())
                    .set(RUN.PAYLOAD, Mapping.jsonb(job.payload()))
                    .set(RUN.SCHEDULED_AT, now)
                    .set(RUN.DUE_AT, now)
                    .set(RUN.STATE, RunState.SCHEDULED.name())
                    .set(RUN.MAX_ATTEMPTS, job.retryPolicy().maxAttempts())
                    .set(RUN.RETRY_INITIAL_MS, job.retryPolicy().initialDelay().toMillis())
                    .set(RUN.RETRY_MULTIPLIER, job.retryPolicy().multiplier())
                    .set(RUN.RETRY_MAX_MS, job.retryPolicy().maxDelay().toMillis())
                    .set(RUN.TIMEOUT_MS, Mapping.millis(job.timeout()))
                    .set(RUN_TRIGGERED_BY, audit.actor())
                    .returning().fetchSingle();
            AdminTables.insertAudit(tx, audit, null, runJson(tx, r.getId()).orElse(null));
            return Optional.of(Mapping.run(r));
        });
    }

    @Override
    public Optional<String> triggeredBy(long runId) {
        return dsl.select(RUN_TRIGGERED_BY).from(RUN).where(RUN.ID.eq(runId)).fetchOptional(RUN_TRIGGERED_BY);
    }

    @Override
    public void audit(AuditEntry audit, String beforeJson, String afterJson) {
        AdminTables.insertAudit(dsl, audit, beforeJson, afterJson);
    }

    @Override
    public List<AuditEvent> auditEvents(Set<String> teams, Long beforeId, int limit) {
        Condition c = DSL.trueCondition();
        if (teams != null) {
            c = c.and(AUDIT_TEAM.in(teams));
        }
        if (beforeId != null) {
            c = c.and(AUDIT_ID.lt(beforeId));
        }
        return dsl.select(AUDIT_ID, AUDIT_ACTOR, AUDIT_ACTION, AUDIT_TARGET, AUDIT_TEAM, AUDIT_BEFORE, AUDIT_AFTER,
                        AUDIT_CREATED_AT)
                .from(AUDIT).where(c).orderBy(AUDIT_ID.desc()).limit(limit)
                .fetch(r -> new AuditEvent(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        Mapping.json(r.value6()), Mapping.json(r.value7()), Mapping.instant(r.value8())));
    }

    @Override
    public Optional<String> runJson(long runId) {
        return runJson(dsl, runId);
    }

    @Override
    public Optional<String> workerSettings() {
        return dsl.resultQuery("SELECT settings::text FROM worker_settings WHERE id = 1").fetchOptional(0, String.class);
    }

    private static Optional<String> runJson(DSLContext ctx, long runId) {
        return ctx.select(DSL.field("to_jsonb(run)", JSONB.class)).from(RUN).where(RUN.ID.eq(runId))
                .fetchOptional(0, JSONB.class).map(JSONB::data);
    }

    private static String jobJson(DSLContext ctx, long jobId) {
        return ctx.select(DSL.field("to_jsonb(job)", JSONB.class)).from(JOB).where(JOB.ID.eq(jobId))
                .fetchOptional(0, JSONB.class).map(JSONB::data).orElse(null);
    }

    @Override
    public java.util.Map<Long, RunView> runsById(java.util.Collection<Long> ids) {
        java.util.Map<Long, RunView> out = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            dsl.selectFrom(RUN).where(RUN.ID.in(ids)).fetch(Mapping::run).forEach(r -> out.put(r.id(), r));
        }
        return out;
    }

    @Override
    public List<ClusterLoad.QueueDepth> queueDepths(Set<String> teams) {
        var due = DSL.count().filterWhere(RUN.STATE.eq(RunState.SCHEDULED.name()));
        var queued = DSL.count().filterWhere(RUN.STATE.eq(RunState.QUEUED.name()));
        var running = DSL.count().filterWhere(RUN.STATE.eq(RunState.RUNNING.name()));
        // Each state through its partial index: SCHEDULED by due_at (run_due_idx), the others in flight.
        Condition c = RUN.STATE.eq(RunState.SCHEDULED.name()).and(RUN.DUE_AT.le(DSL.currentOffsetDateTime()))
                .or(RUN.STATE.in(RunState.QUEUED.name(), RunState.RUNNING.name()));
        if (teams != null) {
            c = DSL.and(c, RUN.TEAM.in(teams));
        }
        return dsl.select(RUN.TASK_TYPE, due, queued, running).from(RUN).where(c).groupBy(RUN.TASK_TYPE)
                .orderBy(RUN.TASK_TYPE)
                .fetch(r -> new ClusterLoad.QueueDepth(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    @Override
    public List<ClusterLoad.WorkerLoad> workerLoads() {
        return dsl.select(RUN.WORKER_ID, DSL.count(), DSL.max(RUN.HEARTBEAT_AT)).from(RUN)
                .where(RUN.STATE.eq(RunState.RUNNING.name()), RUN.WORKER_ID.isNotNull())
                .groupBy(RUN.WORKER_ID).orderBy(RUN.WORKER_ID)
                .fetch(r -> new ClusterLoad.WorkerLoad(r.value1(), r.value2(), Mapping.instant(r.value3())));
    }

    @Override
    public List<ClusterLoad.FireBucket> fireBuckets(Set<String> teams, java.time.Instant from, java.time.Instant to) {
        var minute = DSL.field("date_trunc('minute', {0})", OffsetDateTime.class, RUN.SCHEDULED_AT);
        var lateMs = DSL.field("extract(epoch FROM {0} - {1}) * 1000", Double.class, RUN.STARTED_AT, RUN.SCHEDULED_AT);
        var started = RUN.STARTED_AT.isNotNull();
        var p50 = DSL.percentileCont(0.5).withinGroupOrderBy(lateMs).filterWhere(started);
        var p99 = DSL.percentileCont(0.99).withinGroupOrderBy(lateMs).filterWhere(started);
        Condition c = RUN.SCHEDULED_AT.ge(Mapping.offset(from)).and(RUN.SCHEDULED_AT.lt(Mapping.offset(to)));
        if (teams != null) {
            c = c.and(RUN.TEAM.in(teams));
        }
        return dsl.select(minute, DSL.count(), DSL.count().filterWhere(started), p50, p99).from(RUN).where(c)
                .groupBy(minute).orderBy(minute)
                .fetch(r -> new ClusterLoad.FireBucket(Mapping.instant(r.value1()), r.value2(), r.value3(),
                        r.value4() == null ? null : r.value4().doubleValue(),
                        r.value5() == null ? null : r.value5().doubleValue()));
    }
    // The reason of a SKIPPED run from its error text, as JooqRuns and ResultApplier write it.
    private static final String SKIP_REASON = "CASE"
            + " WHEN error LIKE 'skipped by concurrency policy FORBID%' THEN 'concurrency policy FORBID'"
            + " WHEN error LIKE 'skipped by concurrency policy REPLACE%' THEN 'concurrency policy REPLACE'"
            + " WHEN error LIKE 'skipped: not started by its starting deadline%' THEN 'starting deadline passed'"
            + " WHEN error LIKE 'skipped by worker %' THEN 'skipped by a worker'"
            + " WHEN error IS NULL OR error = '' THEN 'no reason recorded'"
            + " ELSE left(split_part(error, ':', 1), 120) END";

    // The window: the job's newest runs scheduled up to now, through run_list_job_idx (job_id, scheduled_at DESC).
    private static final String RECENT = "WITH recent AS (SELECT state, scheduled_at, started_at, error FROM run"
            + " WHERE job_id = ? AND scheduled_at <= now() ORDER BY scheduled_at DESC, id DESC LIMIT ?) ";

    @Override
    public JobRunStats jobRunStats(long jobId, int lastRuns) {
        String late = "extract(epoch FROM started_at - scheduled_at) * 1000";
        var totals = dsl.resultQuery(RECENT + "SELECT count(*), count(started_at),"
                + " count(*) FILTER (WHERE state = 'SKIPPED'), min(scheduled_at), max(scheduled_at),"
                + " percentile_cont(0.5) WITHIN GROUP (ORDER BY " + late + ") FILTER (WHERE started_at IS NOT NULL),"
                + " percentile_cont(0.99) WITHIN GROUP (ORDER BY " + late + ") FILTER (WHERE started_at IS NOT NULL),"
                + " max(" + late + ") FROM recent", jobId, lastRuns).fetchOne();
        List<JobRunStats.SkipReason> skips = dsl.resultQuery(RECENT + "SELECT reason, count(*), max(scheduled_at),"
                        + " (array_agg(error ORDER BY scheduled_at DESC))[1]"
                        + " FROM (SELECT " + SKIP_REASON + " AS reason, scheduled_at, error FROM recent"
                        + " WHERE state = 'SKIPPED') s GROUP BY reason ORDER BY count(*) DESC, reason", jobId, lastRuns)
                .fetch(r -> new JobRunStats.SkipReason(r.get(0, String.class), r.get(1, Long.class),
                        Mapping.instant(r.get(2, OffsetDateTime.class)), r.get(3, String.class)));
        // Fires a misfire policy skipped are not runs (V14 records them): counted since the window's first run.
        OffsetDateTime since = totals.get(3, OffsetDateTime.class);
        var misfires = dsl.resultQuery("SELECT coalesce(sum(skipped), 0), max(first_skipped_at) FROM job_misfire"
                + " WHERE job_id = {0} AND ({1}::timestamptz IS NULL OR first_skipped_at >= {1}::timestamptz)",
                DSL.val(jobId), DSL.val(since)).fetchOne();
        long misfired = misfires.get(0, Long.class);
        if (misfired > 0) {
            skips = new java.util.ArrayList<>(skips);
            skips.add(new JobRunStats.SkipReason("misfire policy", misfired,
                    Mapping.instant(misfires.get(1, OffsetDateTime.class)),
                    misfired + " owed fire(s) not fired by the job's misfire policy (not runs: no row for each)"));
            skips.sort(java.util.Comparator.comparingLong(JobRunStats.SkipReason::count).reversed());
        }
        return new JobRunStats(totals.get(0, Long.class), totals.get(1, Long.class), totals.get(2, Long.class),
                Mapping.instant(totals.get(3, OffsetDateTime.class)), Mapping.instant(totals.get(4, OffsetDateTime.class)),
                totals.get(5, Double.class), totals.get(6, Double.class), totals.get(7, Double.class), skips);
    }
}
