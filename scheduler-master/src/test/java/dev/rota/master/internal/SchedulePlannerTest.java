package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.db.FencedException;
import dev.rota.db.JobDefinition;
import dev.rota.db.JobSpec;
import dev.rota.db.RotaDatabase;
import dev.rota.master.SchedulingConfig;
import dev.rota.model.MisfirePolicy;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The planner stepped by hand ({@link SchedulePlanner#runOnce}) against real PostgreSQL, whose clock is the
 * one that counts: times are set relative to it, never slept through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulePlannerTest {
    private static final Duration THRESHOLD = Duration.ofSeconds(1);
    private static final SchedulingConfig CONFIG = SchedulingConfig.DEFAULTS.withPageSize(3);

    private final String schema = TestServers.uniqueName("plan").toLowerCase();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private RotaDatabase db;
    private long epoch;
    private int wakeups;
    private SchedulePlanner planner;

    @BeforeAll
    void createDatabase() {
        TestServers.Postgres pg = TestServers.postgres();
        db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema).build();
        db.migrate();
    }

    @AfterAll
    void dropDatabase() {
        db.close();
        TestServers.dropSchema(schema);
    }

    @BeforeEach
    void newTerm() throws Exception {
        sql("TRUNCATE run_event, run_attempt, run, job, job_deleted RESTART IDENTITY CASCADE");
        events.clear();
        wakeups = 0;
        epoch = db.lease().acquire("m1");
        planner = newPlanner(epoch);
    }

    private SchedulePlanner newPlanner(long epoch) {
        return new SchedulePlanner(db.schedules(), epoch, CONFIG, THRESHOLD, (e, d) -> events.add(e + " " + d),
                () -> wakeups++);
    }

    @Test
    void aNewJobGetsItsCursorAndOwesNothing() throws Exception {
        JobDefinition j = db.jobs().create(JobSpec.of("hourly", "0 0 * * * ?", "report"));

        SchedulePlanner.Pass pass = planner.runOnce();

        assertThat(pass.changes()).isEqualTo(1);
        Instant expected = dev.rota.master.CronSchedule.parse("0 0 * * * ?", "UTC").nextAfter(j.scheduleFrom());
        assertThat(instant("SELECT next_fire_at FROM job")).isEqualTo(expected);
        assertThat(events).containsExactly("JOB_SCHEDULED hourly");
        assertThat(count("SELECT count(*) FROM run")).as("a new job owes nothing").isZero();

        events.clear();
        assertThat(planner.runOnce().changes()).as("an unchanged job is not read again").isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void anIdlePassWaitsUntilTheNextCursorEntersTheLookaheadAtMostTheLongestWait() throws Exception {
        SchedulePlanner idle = new SchedulePlanner(db.schedules(), epoch, CONFIG.withMaxPlanWait(Duration.ofMinutes(1)),
                THRESHOLD, (e, d) -> events.add(e + " " + d), () -> wakeups++);
        assertThat(idle.runOnce().idleFor()).as("no job").isEqualTo(Duration.ofMinutes(1));

        db.jobs().create(JobSpec.of("yearly", "0 0 0 1 1 ?", "report"));
        assertThat(idle.runOnce().idleFor()).as("a year away").isEqualTo(Duration.ofMinutes(1));

        sql("UPDATE job SET next_fire_at = now() + interval '25 seconds'");
        assertThat(idle.runOnce().idleFor()).as("25 s away, planned 5 s ahead")
                .isBetween(Duration.ofSeconds(18), Duration.ofSeconds(20));
    }

    @Test
    void idleForIsTheTimeUntilTheCursorLessTheLookaheadBoundedAndARetryForACursorAlreadyDue() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Duration lookahead = Duration.ofSeconds(5);
        Duration retry = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(30);

        assertThat(SchedulePlanner.idleFor(now, null, lookahead, retry, max)).isEqualTo(max);
        assertThat(SchedulePlanner.idleFor(now, now.plusSeconds(17), lookahead, retry, max)).isEqualTo(Duration.ofSeconds(12));
        assertThat(SchedulePlanner.idleFor(now, now.plusSeconds(600), lookahead, retry, max)).isEqualTo(max);
        assertThat(SchedulePlanner.idleFor(now, now.plusSeconds(5), lookahead, retry, max)).as("held by another transaction")
                .isEqualTo(retry);
        assertThat(SchedulePlanner.idleFor(now, now.minusSeconds(5), lookahead, retry, max)).isEqualTo(retry);
    }

    @Test
    void aDisabledJobIsUnscheduledAndAReEnabledOneScheduledAgain() throws Exception {
        JobDefinition j = db.jobs().create(JobSpec.of("job", "0 0 * * * ?", "report"));
        db.jobs().create(JobSpec.of("off", "0 0 * * * ?", "report").withEnabled(false));
        planner.runOnce();
        assertThat(events).containsExactly("JOB_SCHEDULED job", "JOB_UNSCHEDULED 2 disabled");
        events.clear();

        db.jobs().setEnabled("default", "job", false);
        planner.runOnce();
        assertThat(events).containsExactly("JOB_UNSCHEDULED " + j.id() + " disabled");
        assertThat(count("SELECT count(*) FROM job WHERE next_fire_at IS NOT NULL")).isZero();

        db.jobs().setEnabled("default", "job", true);
        planner.runOnce();
        assertThat(count("SELECT count(*) FROM job WHERE next_fire_at IS NOT NULL AND name = 'job'")).isEqualTo(1);
    }

    @Test
    void aDeletedJobIsReportedOnce() throws Exception {
        db.jobs().create(JobSpec.of("keep", "0 0 * * * ?", "report"));
        JobDefinition gone = db.jobs().create(JobSpec.of("gone", "0 0 * * * ?", "report"));
        planner.runOnce();
        events.clear();

        sql("DELETE FROM job WHERE name = 'gone'");
        planner.runOnce();
        planner.runOnce();

        assertThat(events).containsExactly("JOB_UNSCHEDULED " + gone.id() + " deleted");
    }

    @Test
    void anInvalidCronOrZoneIsRecordedOnceAndAFixedJobScheduled() throws Exception {
        sql("INSERT INTO job (name, cron, task_type) VALUES ('broken', 'every day at nine', 'report')");
        sql("INSERT INTO job (name, cron, time_zone, task_type) VALUES ('zone', '0 0 * * * ?', 'Mars/Olympus', 'report')");

        planner.runOnce();
        planner.runOnce();

        assertThat(string("SELECT schedule_error FROM job WHERE name = 'broken'"))
                .startsWith("malformed cron expression 'every day at nine'");
        assertThat(string("SELECT schedule_error FROM job WHERE name = 'zone'")).startsWith("unknown time zone 'Mars/Olympus'");
        assertThat(count("SELECT count(*) FROM job WHERE next_fire_at IS NOT NULL")).isZero();
        assertThat(count("SELECT count(*) FROM job WHERE version = 1")).as("recording the error is not a change").isEqualTo(2);
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e).startsWith("JOB_INVALID"));

        sql("UPDATE job SET cron = '0 0 * * * ?' WHERE name = 'broken'");
        planner.runOnce();
        assertThat(string("SELECT coalesce(schedule_error, 'none') FROM job WHERE name = 'broken'")).isEqualTo("none");
        assertThat(count("SELECT count(*) FROM job WHERE next_fire_at IS NOT NULL AND name = 'broken'")).isEqualTo(1);

        sql("UPDATE job SET cron = '0 0 25 * * ?' WHERE name = 'broken'");
        planner.runOnce();
        assertThat(string("SELECT schedule_error FROM job WHERE name = 'broken'")).contains("'0 0 25 * * ?'");
        assertThat(count("SELECT count(*) FROM job WHERE next_fire_at IS NOT NULL")).isZero();
    }

    @Test
    void firesDueWithinTheLookaheadAreRecordedAheadAndNeverDispatchedEarly() throws Exception {
        db.jobs().create(JobSpec.of("every-second", "* * * * * ?", "report"));
        planner.runOnce();
        Instant now = db.runs().now();

        assertThat(wakeups).isPositive();
        List<Instant> times = instants("SELECT scheduled_at FROM run ORDER BY scheduled_at");
        assertThat(times).isNotEmpty();
        assertThat(times.get(times.size() - 1)).isBetween(now.plus(CONFIG.lookahead()).minusSeconds(2),
                now.plus(CONFIG.lookahead()));
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i)).isEqualTo(times.get(i - 1).plusSeconds(1));
        }
        assertThat(count("SELECT count(*) FROM run WHERE state <> 'SCHEDULED' OR due_at <> scheduled_at")).isZero();
        assertThat(instant("SELECT next_fire_at FROM job")).isEqualTo(times.get(times.size() - 1).plusSeconds(1));
        assertThat(db.runs().claimDue(epoch, 100)).allSatisfy(r -> assertThat(r.dispatchedAt()).isAfterOrEqualTo(r.scheduledAt()));

        int before = times.size();
        planner.runOnce();
        assertThat(count("SELECT count(*) FROM run")).as("recorded once").isLessThanOrEqualTo(before + 2);
        assertThat(count("SELECT count(*) - count(DISTINCT scheduled_at) FROM run")).isZero();
    }

    @Test
    void owedFiresAtATakeoverFollowEachMisfirePolicyFromTheLastRecordedFire() throws Exception {
        Instant now = db.runs().now().truncatedTo(ChronoUnit.SECONDS);
        // The last leader recorded the fire 60 s ago and died.
        everySecondJobPerPolicy("mf-", 5, now.minusSeconds(60));
        sql("UPDATE job SET schedule_from = '" + now.minusSeconds(3600) + "'");

        planner.runOnce();

        Instant cutoff = instant("SELECT min(scheduled_at) FROM run WHERE job_name = 'mf-SKIP' AND state = 'SCHEDULED'");
        assertThat(cutoff).as("on time from the term's start minus the threshold").isAfter(now.minusSeconds(5));
        long onTime = count("SELECT count(*) FROM run WHERE job_name = 'mf-SKIP' AND state = 'SCHEDULED'");
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'mf-FIRE_ONCE' AND state = 'SCHEDULED'")).isEqualTo(onTime + 1);
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'mf-FIRE_ALL' AND state = 'SCHEDULED'")).isEqualTo(onTime + 5);
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'mf-FIRE_ALL' AND state = 'SCHEDULED'"
                + " AND scheduled_at < '" + cutoff + "' AND scheduled_at >= '" + cutoff.minusSeconds(5) + "'"))
                .as("the newest missed times").isEqualTo(5);
        assertThat(events.stream().filter(e -> e.startsWith("MISFIRES_SKIPPED"))).hasSize(3);
    }

    /**
     * The last leader recorded fires 5 s ahead, then the whole cluster was down for a minute. Those fires
     * are missed like the rest: SKIP fires none of them, FIRE_ONCE only its one catch-up, FIRE_ALL all.
     */
    @Test
    void firesRecordedAheadByADeadLeaderAreMissedTimesForTheMisfirePolicy() throws Exception {
        Instant now = db.runs().now().truncatedTo(ChronoUnit.SECONDS);
        for (JobDefinition j : everySecondJobPerPolicy("ahead-", 100, now.minusSeconds(66))) {
            // Planned ahead up to 60 s ago (due_at defaults to scheduled_at), never dispatched: the leader died.
            sql("INSERT INTO run (job_id, job_name, task_type, scheduled_at, state, attempt) SELECT " + j.id()
                    + ", '" + j.name() + "', 'report', '" + now.minusSeconds(66) + "'::timestamptz + g * interval '1 second',"
                    + " 'SCHEDULED', 0 FROM generate_series(1, 5) g");
        }
        sql("UPDATE job SET schedule_from = '" + now.minusSeconds(3600) + "', next_fire_at = '" + now.minusSeconds(60) + "'");
        // A retry waiting since before the outage is not a planned fire: it stays whatever the policy.
        sql("INSERT INTO run (job_id, job_name, task_type, scheduled_at, state, attempt) SELECT id, name, 'report', '"
                + now.minusSeconds(90) + "', 'SCHEDULED', 1 FROM job WHERE name = 'ahead-SKIP'");

        SchedulePlanner takeover = newPlanner(db.lease().acquire("m2"));
        takeover.runOnce();

        Instant cutoff = instant("SELECT min(scheduled_at) FROM run WHERE job_name = 'ahead-SKIP' AND state = 'SCHEDULED'"
                + " AND attempt = 0");
        assertThat(cutoff).as("the first on-time fire").isAfter(now.minusSeconds(5));
        String missed = " AND state = 'SCHEDULED' AND scheduled_at < '" + cutoff + "'";
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'ahead-SKIP' AND attempt = 0" + missed))
                .as("SKIP fires none of the planned fires it missed").isZero();
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'ahead-SKIP' AND attempt = 1" + missed))
                .as("the retry stays").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'ahead-FIRE_ONCE'" + missed))
                .as("FIRE_ONCE fires one catch-up").isEqualTo(1);
        assertThat(instant("SELECT scheduled_at FROM run WHERE job_name = 'ahead-FIRE_ONCE'" + missed))
                .as("the latest missed time").isEqualTo(cutoff.minusSeconds(1));
        assertThat(count("SELECT count(*) FROM run WHERE job_name = 'ahead-FIRE_ALL'" + missed))
                .as("FIRE_ALL fires every missed time, the planned ones included").isGreaterThanOrEqualTo(60);
        assertThat(events).filteredOn(e -> e.startsWith("MISFIRES_SKIPPED ahead-SKIP"))
                .singleElement().asString().endsWith(" " + count("SELECT extract(epoch FROM '" + cutoff + "'::timestamptz"
                        + " - '" + now.minusSeconds(66) + "'::timestamptz)::bigint - 1"));
    }

    @Test
    void timesThatFallDueDuringTheTermAreFiredLateNeverDropped() throws Exception {
        db.jobs().create(JobSpec.of("stalled", "* * * * * ?", "report").withMisfire(MisfirePolicy.SKIP, 1));
        planner.termStartedAt(db.runs().now().minusSeconds(60));
        planner.runOnce();
        // The planner stalled for 20 s within its term (a long pause): the cursor is 20 s behind.
        sql("DELETE FROM run");
        sql("UPDATE job SET next_fire_at = next_fire_at - interval '20 seconds'");
        events.clear();

        planner.runOnce();

        assertThat(count("SELECT count(*) FROM run")).as("20 s behind, each second fired").isGreaterThanOrEqualTo(20);
        assertThat(count("SELECT (count(*) - extract(epoch FROM max(scheduled_at) - min(scheduled_at)) - 1)::bigint FROM run"))
                .as("none dropped").isZero();
        assertThat(events).noneMatch(e -> e.startsWith("MISFIRES_SKIPPED"));

        SchedulePlanner takeover = newPlanner(db.lease().acquire("m2"));
        sql("DELETE FROM run");
        sql("UPDATE job SET next_fire_at = next_fire_at - interval '20 seconds'");
        takeover.runOnce();
        assertThat(events).as("the same stall across a takeover is a misfire").anyMatch(e -> e.startsWith("MISFIRES_SKIPPED"));
    }

    @Test
    void manyDueJobsArePlannedInPagesInOnePass() throws Exception {
        sql("INSERT INTO job (name, cron, task_type) SELECT 'bulk-' || g, '* * * * * ?', 'report' FROM generate_series(1, 10) g");
        SchedulePlanner.Pass pass = planner.runOnce();
        assertThat(pass.changes()).isEqualTo(10);
        assertThat(pass.planned()).as("pages of 3").isEqualTo(10);
        assertThat(count("SELECT count(DISTINCT job_id) FROM run")).isEqualTo(10);
    }

    @Test
    void aFencedPlannerWritesNothing() throws Exception {
        db.jobs().create(JobSpec.of("fenced", "* * * * * ?", "report"));
        db.lease().acquire("m2");

        assertThatThrownBy(planner::runOnce).isInstanceOf(FencedException.class);
        assertThat(count("SELECT count(*) FROM run")).isZero();
        assertThat(count("SELECT count(*) FROM job WHERE next_fire_at IS NOT NULL")).isZero();
    }

    @Test
    void retentionSteppedByHandKeepsTheNewestRunsOfEachJob() throws Exception {
        JobDefinition j = db.jobs().create(JobSpec.of("old", "0 * * * * ?", "report"));
        sql("INSERT INTO run (job_id, job_name, task_type, scheduled_at, state, finished_at) SELECT " + j.id()
                + ", 'old', 'report', now() - g * interval '1 hour', 'SUCCEEDED', now() - g * interval '1 hour'"
                + " FROM generate_series(1, 250) g");
        RetentionSweep sweep = new RetentionSweep(db.schedules(), db.runs(), epoch,
                CONFIG.withRetention(Duration.ofDays(7), 100));
        Instant now = db.runs().now();

        int batches = 1;
        while (sweep.step(now)) {
            batches++;
        }
        assertThat(batches).as("83 deletable of 250, in batches of 1,000").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM run")).as("7 days of hourly runs stay, and never fewer than 100").isEqualTo(167);

        while (sweep.step(now.plus(Duration.ofDays(30)))) {
            continue;
        }
        assertThat(count("SELECT count(*) FROM run")).isEqualTo(100);
        assertThat(count("SELECT count(*) FROM run WHERE finished_at > now() - interval '101 hours'")).isEqualTo(100);
    }

    /** One every-second job per misfire policy, named prefix + policy, each with a fire recorded at {@code lastFire}. */
    private List<JobDefinition> everySecondJobPerPolicy(String prefix, int misfireLimit, Instant lastFire) throws Exception {
        List<JobDefinition> jobs = new ArrayList<>();
        for (MisfirePolicy p : MisfirePolicy.values()) {
            JobDefinition j = db.jobs().create(JobSpec.of(prefix + p, "* * * * * ?", "report").withMisfire(p, misfireLimit));
            sql("INSERT INTO run (job_id, job_name, task_type, scheduled_at, state, finished_at) VALUES (" + j.id()
                    + ", '" + j.name() + "', 'report', '" + lastFire + "', 'SUCCEEDED', now())");
            jobs.add(j);
        }
        return jobs;
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long count(String query) throws Exception {
        return Long.parseLong(string(query));
    }

    private String string(String query) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Instant instant(String query) throws Exception {
        return instants(query).get(0);
    }

    private List<Instant> instants(String query) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            List<Instant> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
            }
            return out;
        }
    }
}
