package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.JOB;

import dev.rota.db.Schedules;
import dev.rota.model.MisfirePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The schedule columns of {@code job} (added by migration V3, written here in plain SQL so that the
 * generated classes stay those of the base schema). Arrays travel through {@code unnest}, so each page is a
 * few statements whatever its size; instants travel as epoch milliseconds.
 */
public final class JooqSchedules implements Schedules {
    /** Fires decided per planning page beyond which no further job is added to the page. */
    static final int MAX_FIRES_PER_PAGE = 20_000;
    private static final Field<Long> CHANGE_SEQ = DSL.field(DSL.name("job", "change_seq"), Long.class);
    private static final Field<OffsetDateTime> LAST_FIRE = DSL.field(
            "(SELECT max(r.scheduled_at) FROM run r WHERE r.job_id = job.id)", OffsetDateTime.class).as("last_fire");
    private static final String FROM_MILLIS = "('epoch'::timestamptz + %s * interval '1 millisecond')";

    private final DSLContext dsl;

    public JooqSchedules(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<Change> changes(int limit) {
        List<Field<?>> fields = new ArrayList<>(List.of(JOB.fields()));
        fields.add(CHANGE_SEQ);
        fields.add(LAST_FIRE);
        return dsl.select(fields).from(JOB)
                .where(DSL.condition("job.planned_seq IS DISTINCT FROM job.change_seq"))
                .orderBy(CHANGE_SEQ).limit(limit)
                .fetch(r -> new Change(Mapping.job(r.into(JOB)), r.get(CHANGE_SEQ),
                        Mapping.instant(r.get("last_fire", OffsetDateTime.class))));
    }

    @Override
    public int settle(long epoch, List<Settlement> settlements) {
        if (settlements.isEmpty()) {
            return 0;
        }
        Long[] ids = new Long[settlements.size()];
        Long[] seqs = new Long[ids.length];
        Long[] nexts = new Long[ids.length];
        String[] errors = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Settlement s = settlements.get(i);
            ids[i] = s.jobId();
            seqs[i] = s.changeSeq();
            nexts[i] = s.nextFireAt() == null ? null : s.nextFireAt().toEpochMilli();
            errors[i] = s.scheduleError();
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            // Conditional on change_seq: a job changed again since it was read is left for the next pass.
            return tx.execute("UPDATE job SET next_fire_at = " + FROM_MILLIS.formatted("u.next")
                    + ", planned_seq = u.seq, schedule_error = u.err"
                    + " FROM unnest({0}, {1}, {2}, {3}) AS u(id, seq, next, err)"
                    + " WHERE job.id = u.id AND job.change_seq = u.seq",
                    DSL.val(ids), DSL.val(seqs), DSL.val(nexts), DSL.val(errors));
        });
    }

    @Override
    public List<Deletion> takeDeletions(long epoch, int limit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            return tx.resultQuery("DELETE FROM job_deleted WHERE seq IN (SELECT seq FROM job_deleted ORDER BY seq LIMIT {0})"
                    + " RETURNING seq, job_id, team, name", DSL.val(limit))
                    .fetch().sortAsc(DSL.field("seq", Long.class))
                    .map(r -> new Deletion(r.get("job_id", Long.class), r.get("team", String.class),
                            r.get("name", String.class)));
        });
    }

    @Override
    public Page planDue(long epoch, Duration lookahead, int limit, Planner planner) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            Instant now = JooqRuns.now(tx).toInstant();
            Instant horizon = now.plus(lookahead);
            // SKIP LOCKED: a job that a user is changing right now is planned on the next pass, after its change.
            List<Record> due = tx.resultQuery("SELECT id, team, name, cron, time_zone, misfire_policy, misfire_limit,"
                    + " next_fire_at FROM job WHERE enabled AND next_fire_at IS NOT NULL AND next_fire_at <= {0}"
                    + " ORDER BY next_fire_at LIMIT {1} FOR NO KEY UPDATE SKIP LOCKED",
                    DSL.val(Mapping.offset(horizon)), DSL.val(limit)).fetch();
            List<Long> fireJobs = new ArrayList<>();
            List<Long> fireTimes = new ArrayList<>();
            List<Long> cursorJobs = new ArrayList<>();
            List<Long> cursors = new ArrayList<>();
            Map<String, Long> skipped = new LinkedHashMap<>();
            List<Long> skipJobs = new ArrayList<>();
            List<String> skipTeams = new ArrayList<>();
            List<String> skipNames = new ArrayList<>();
            List<Long> skipCounts = new ArrayList<>();
            List<Long> skipFrom = new ArrayList<>();
            for (Record r : due) {
                if (!cursorJobs.isEmpty() && fireTimes.size() >= MAX_FIRES_PER_PAGE) {
                    break;
                }
                Cursor c = new Cursor(r.get("id", Long.class), r.get("team", String.class), r.get("name", String.class),
                        r.get("cron", String.class), r.get("time_zone", String.class),
                        MisfirePolicy.valueOf(r.get("misfire_policy", String.class)), r.get("misfire_limit", Integer.class),
                        r.get("next_fire_at", OffsetDateTime.class).toInstant());
                Decision d = planner.decide(c, now, horizon);
                for (Instant t : d.fires()) {
                    fireJobs.add(c.jobId());
                    fireTimes.add(t.toEpochMilli());
                }
                cursorJobs.add(c.jobId());
                cursors.add(d.nextFireAt() == null ? null : d.nextFireAt().toEpochMilli());
                if (d.skipped() > 0) {
                    skipped.merge(c.team() + "/" + c.name(), d.skipped(), Long::sum);
                    skipJobs.add(c.jobId());
                    skipTeams.add(c.team());
                    skipNames.add(c.name());
                    skipCounts.add((long) d.skipped());
                    skipFrom.add(c.nextFireAt().toEpochMilli());
                }
            }
            int inserted = fireTimes.isEmpty() ? 0 : tx.execute("INSERT INTO run (job_id, job_name, team, task_type,"
                    + " payload, scheduled_at, due_at, state, attempt, max_attempts, retry_initial_ms, retry_multiplier,"
                    + " retry_max_ms, timeout_ms, starting_deadline_ms)"
                    + " SELECT j.id, j.name, j.team, j.task_type, j.payload, f.at, f.at, 'SCHEDULED', 0, j.max_attempts,"
                    + " j.retry_initial_ms, j.retry_multiplier, j.retry_max_ms, j.timeout_ms, j.starting_deadline_ms"
                    + " FROM (SELECT u.job_id, " + FROM_MILLIS.formatted("u.ms") + " AS at"
                    + " FROM unnest({0}, {1}) AS u(job_id, ms)) f JOIN job j ON j.id = f.job_id"
                    + " ON CONFLICT DO NOTHING",
                    DSL.val(fireJobs.toArray(Long[]::new)), DSL.val(fireTimes.toArray(Long[]::new)));
            if (!skipJobs.isEmpty()) {
                // Fires a misfire policy skipped leave no run row, so no run trigger alerts on them: the
                // alert is written here, in the same fenced transaction, once per job and cursor position.
                tx.execute("INSERT INTO alert_delivery (rule_id, event_key, kind, payload)"
                        + " SELECT a.id, 'FIRE_SKIPPED:misfire:' || u.job_id || ':' || u.from_ms, 'FIRE_SKIPPED',"
                        + " jsonb_build_object('kind', 'FIRE_SKIPPED', 'occurredAt', now(), 'team', u.team, 'jobId', u.job_id,"
                        + " 'jobName', u.name, 'reason', 'misfire policy', 'skippedFires', u.n,"
                        + " 'firstSkippedAt', " + FROM_MILLIS.formatted("u.from_ms") + ")"
                        + " FROM unnest({0}, {1}, {2}, {3}, {4}) AS u(job_id, team, name, n, from_ms),"
                        + " LATERAL alert_rules_for('FIRE_SKIPPED', u.team, u.name) a"
                        + " ON CONFLICT ON CONSTRAINT alert_delivery_one_per_event DO NOTHING",
                        DSL.val(skipJobs.toArray(Long[]::new)), DSL.val(skipTeams.toArray(String[]::new)),
                        DSL.val(skipNames.toArray(String[]::new)), DSL.val(skipCounts.toArray(Long[]::new)),
                        DSL.val(skipFrom.toArray(Long[]::new)));
                tx.execute("INSERT INTO job_misfire (job_id, skipped, first_skipped_at) SELECT u.job_id, u.n, "
                        + FROM_MILLIS.formatted("u.from_ms") + " FROM unnest({0}, {1}, {2}) AS u(job_id, n, from_ms)",
                        DSL.val(skipJobs.toArray(Long[]::new)), DSL.val(skipCounts.toArray(Long[]::new)),
                        DSL.val(skipFrom.toArray(Long[]::new)));
            }
            if (!cursorJobs.isEmpty()) {
                tx.execute("UPDATE job SET next_fire_at = " + FROM_MILLIS.formatted("u.ms")
                        + " FROM unnest({0}, {1}) AS u(id, ms) WHERE job.id = u.id",
                        DSL.val(cursorJobs.toArray(Long[]::new)), DSL.val(cursors.toArray(Long[]::new)));
            }
            boolean more = due.size() == limit || cursorJobs.size() < due.size();
            // One index probe (job_next_fire_idx): lets an idle planner sleep until the next cursor is due.
            OffsetDateTime next = tx.resultQuery("SELECT min(next_fire_at) FROM job WHERE enabled AND next_fire_at IS NOT NULL")
                    .fetchOne(0, OffsetDateTime.class);
            return new Page(cursorJobs.size(), fireTimes.size(), inserted, skipped, now, more, Mapping.instant(next));
        });
    }

    @Override
    public Instant returnMissedPlans(long epoch, Instant termStart, Duration threshold) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            Instant start = termStart != null ? termStart : JooqRuns.now(tx).toInstant();
            tx.execute("WITH stale AS (SELECT r.id FROM run r JOIN job j ON j.id = r.job_id"
                    + " WHERE r.state = 'SCHEDULED' AND r.attempt = 0 AND r.scheduled_at < {0}"
                    + " AND j.enabled AND j.misfire_policy <> 'FIRE_ALL' ORDER BY r.id FOR UPDATE OF r),"
                    + " returned AS (DELETE FROM run USING stale WHERE run.id = stale.id"
                    + " RETURNING run.job_id, run.scheduled_at)"
                    + " UPDATE job SET next_fire_at = f.first FROM (SELECT job_id, min(scheduled_at) AS first"
                    + " FROM returned GROUP BY job_id) f"
                    + " WHERE job.id = f.job_id AND (job.next_fire_at IS NULL OR job.next_fire_at > f.first)",
                    DSL.val(Mapping.offset(start.minus(threshold))));
            return start;
        });
    }

    private static final String FINAL_STATES = "('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED', 'DEAD')";

    @Override
    public Purge purgeFinished(long epoch, Instant finishedBefore, int keepPerJob, int batch, PurgeMark after) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            String from = after == null ? "" : " AND (r.finished_at, r.id) > ({3}, {4})";
            // The newest keepPerJob runs of a job stay: a run goes only when keepPerJob later fires of its job exist.
            List<Record> candidates = tx.resultQuery("SELECT r.id, r.finished_at, (r.job_id IS NULL OR (SELECT count(*)"
                    + " FROM (SELECT 1 FROM run x WHERE x.job_id = r.job_id AND x.scheduled_at > r.scheduled_at"
                    + " LIMIT {2}) k) >= {2}) AS doomed"
                    + " FROM run r WHERE r.finished_at IS NOT NULL AND r.finished_at < {0}" + from
                    + " AND r.state IN " + FINAL_STATES + " ORDER BY r.finished_at, r.id LIMIT {1}",
                    DSL.val(Mapping.offset(finishedBefore)), DSL.val(batch), DSL.val(keepPerJob),
                    DSL.val(after == null ? null : Mapping.offset(after.finishedAt())),
                    DSL.val(after == null ? 0L : after.runId())).fetch();
            List<Long> doomed = new ArrayList<>();
            for (Record r : candidates) {
                if (Boolean.TRUE.equals(r.get("doomed", Boolean.class))) {
                    doomed.add(r.get("id", Long.class));
                }
            }
            int runs = 0;
            int events = 0;
            if (!doomed.isEmpty()) {
                Long[] ids = doomed.toArray(Long[]::new);
                // Checked again under the row lock: a run re-run meanwhile is no longer finished.
                runs = tx.execute("DELETE FROM run WHERE id = ANY({0}) AND finished_at IS NOT NULL AND finished_at < {1}"
                        + " AND state IN " + FINAL_STATES, DSL.val(ids), DSL.val(Mapping.offset(finishedBefore)));
                events = tx.execute("DELETE FROM run_event WHERE run_id = ANY({0})"
                        + " AND NOT EXISTS (SELECT 1 FROM run WHERE run.id = run_event.run_id)", DSL.val(ids));
            }
            PurgeMark next = null;
            if (candidates.size() == batch) {
                Record last = candidates.get(candidates.size() - 1);
                next = new PurgeMark(last.get("finished_at", OffsetDateTime.class).toInstant(), last.get("id", Long.class));
            }
            return new Purge(runs, events, next);
        });
    }
}
