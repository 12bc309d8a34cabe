package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.JOB;

import dev.rota.db.JobDefinition;
import dev.rota.db.JobExistsException;
import dev.rota.db.JobSpec;
import dev.rota.db.Jobs;
import dev.rota.db.internal.jooq.tables.records.JobRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.exception.IntegrityConstraintViolationException;

/** The {@code job} table through jOOQ. */
public final class JooqJobs implements Jobs {
    private final DSLContext dsl;

    public JooqJobs(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public JobDefinition create(JobSpec spec) {
        try {
            JobRecord r = dsl.insertInto(JOB)
                    .set(JOB.TEAM, spec.team())
                    .set(JOB.NAME, spec.name())
                    .set(JOB.CRON, spec.cron())
                    .set(JOB.TIME_ZONE, spec.timeZone())
                    .set(JOB.TASK_TYPE, spec.taskType())
                    .set(JOB.PAYLOAD, JSONB.valueOf(spec.payload()))
                    .set(JOB.ENABLED, spec.enabled())
                    .set(JOB.MISFIRE_POLICY, spec.misfirePolicy().name())
                    .set(JOB.MISFIRE_LIMIT, spec.misfireLimit())
                    .set(JOB.CONCURRENCY_POLICY, spec.concurrencyPolicy().name())
                    .set(JOB.MAX_ATTEMPTS, spec.retryPolicy().maxAttempts())
                    .set(JOB.RETRY_INITIAL_MS, spec.retryPolicy().initialDelay().toMillis())
                    .set(JOB.RETRY_MULTIPLIER, spec.retryPolicy().multiplier())
                    .set(JOB.RETRY_MAX_MS, spec.retryPolicy().maxDelay().toMillis())
                    .set(JOB.TIMEOUT_MS, spec.timeout() == null ? null : spec.timeout().toMillis())
                    .set(JOB.STARTING_DEADLINE_MS, Mapping.millis(spec.startingDeadline()))
                    .returning()
                    .fetchSingle();
            return Mapping.job(r);
        } catch (IntegrityConstraintViolationException e) {
            if (e.getMessage() != null && e.getMessage().contains("job_team_name_key")) {
                throw new JobExistsException(spec.team(), spec.name());
            }
            throw e;
        }
    }

    @Override
    public Optional<JobDefinition> find(long id) {
        return dsl.selectFrom(JOB).where(JOB.ID.eq(id)).fetchOptional().map(Mapping::job);
    }

    @Override
    public Optional<JobDefinition> find(String team, String name) {
        return dsl.selectFrom(JOB).where(JOB.TEAM.eq(team), JOB.NAME.eq(name)).fetchOptional().map(Mapping::job);
    }

    @Override
    public List<JobDefinition> list() {
        return dsl.selectFrom(JOB).orderBy(JOB.TEAM, JOB.NAME).fetch(Mapping::job);
    }

    @Override
    public java.util.SortedSet<String> enabledTaskTypes() {
        // A loose index scan: PostgreSQL has no skip scan, so each step asks the index for the next type.
        return new java.util.TreeSet<>(dsl.resultQuery("WITH RECURSIVE t(task_type) AS ("
                + " (SELECT task_type FROM job WHERE enabled ORDER BY task_type LIMIT 1)"
                + " UNION ALL SELECT (SELECT j.task_type FROM job j WHERE j.enabled AND j.task_type > t.task_type"
                + " ORDER BY j.task_type LIMIT 1) FROM t WHERE t.task_type IS NOT NULL)"
                + " SELECT task_type FROM t WHERE task_type IS NOT NULL").fetch(0, String.class));
    }

    @Override
    public Map<Long, Long> versions() {
        return dsl.select(JOB.ID, JOB.VERSION).from(JOB).fetchMap(JOB.ID, JOB.VERSION);
    }

    @Override
    public boolean setEnabled(String team, String name, boolean enabled) {
        return dsl.update(JOB).set(JOB.ENABLED, enabled).where(JOB.TEAM.eq(team), JOB.NAME.eq(name)).execute() == 1;
    }

    @Override
    public boolean delete(String team, String name) {
        return dsl.deleteFrom(JOB).where(JOB.TEAM.eq(team), JOB.NAME.eq(name)).execute() == 1;
    }

    @Override
    public void recordScheduleError(long id, long version, String error) {
        dsl.update(JOB).set(JOB.SCHEDULE_ERROR, error)
                .where(JOB.ID.eq(id), JOB.VERSION.eq(version), JOB.SCHEDULE_ERROR.isDistinctFrom(error))
                .execute();
    }
}
