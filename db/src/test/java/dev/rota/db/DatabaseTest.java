package dev.rota.db;

import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the integration tests: one fresh schema on the tests' real PostgreSQL per test class,
 * migrated by {@link RotaDatabase#migrate()}, emptied before each test and dropped afterwards.
 * Time is the database's: tests make runs due with times relative to {@link Runs#now()}, and step a
 * run's clock with {@link #age} rather than sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTest {
    static final Duration GRACE = Duration.ofSeconds(5);

    final String schema = TestServers.uniqueName("dbt").toLowerCase();
    RotaDatabase db;
    Jobs jobs;
    Runs runs;
    LeaderLease lease;

    @BeforeAll
    void createDatabase() {
        TestServers.Postgres pg = TestServers.postgres();
        db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema)
                .maxPoolSize(10).build();
        db.migrate();
        jobs = db.jobs();
        runs = db.runs();
        lease = db.lease();
    }

    @AfterAll
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
        TestServers.dropSchema(schema);
    }

    @BeforeEach
    void emptyTables() {
        sql("TRUNCATE run_event, run_attempt, run, job RESTART IDENTITY CASCADE");
    }

    JobDefinition job(JobSpec spec) {
        return jobs.create(spec);
    }

    JobDefinition job(String name) {
        return jobs.create(JobSpec.of(name, "0 * * * * ?", "report"));
    }

    /** A job firing every second with the given concurrency policy. */
    JobDefinition job(String name, dev.rota.model.ConcurrencyPolicy policy) {
        return jobs.create(JobSpec.of(name, "* * * * * ?", "report").withConcurrency(policy));
    }

    /**
     * Records fires of one job as the leader's planner does ({@link Schedules#planDue}): SCHEDULED runs due at
     * their time, for {@link Runs#claim} to dispatch. The job's cursor is set to the first time and moved far
     * ahead afterwards, so that no later call plans the job again by itself.
     */
    void recordAhead(long epoch, JobDefinition job, Instant... times) {
        sql("UPDATE job SET next_fire_at = ?::timestamptz WHERE id = ?", times[0].toString(), job.id());
        Duration ahead = Duration.between(runs.now(), times[0]);
        Duration lookahead = (ahead.isNegative() ? Duration.ZERO : ahead).plusSeconds(1);
        Instant far = times[0].plus(Duration.ofDays(365));
        db.schedules().planDue(epoch, lookahead, 10, (c, now, horizon) -> c.jobId() == job.id()
                ? new Schedules.Decision(List.of(times), far, 0) : new Schedules.Decision(List.of(), c.nextFireAt(), 0));
    }

    /**
     * Fires {@code job} at {@code at} (due by now) as the leader does: records it ahead, then claims every due run,
     * which dispatches it as attempt 1 (or skips it by the job's concurrency policy).
     *
     * @return the fire's run after the claim
     */
    RunView fire(long epoch, JobDefinition job, Instant at) {
        // A planned time is whole milliseconds, as cron times are.
        Instant time = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        recordAhead(epoch, job, time);
        runs.claim(epoch, 1000);
        return fireAt(job, time);
    }

    /** The run of {@code job}'s fire at {@code at}. */
    RunView fireAt(JobDefinition job, Instant at) {
        return run(((Number) value("SELECT id FROM run WHERE job_id = ? AND scheduled_at = ?::timestamptz",
                job.id(), at.toString())).longValue());
    }

    /** Records {@code n} fires of {@code job} ahead, one second apart, the first a day ago (all due now). */
    void recordADayAgoEverySecond(long epoch, JobDefinition job, int n) {
        Instant first = runs.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant[] times = new Instant[n];
        for (int i = 0; i < n; i++) {
            times[i] = first.plusSeconds(i);
        }
        recordAhead(epoch, job, times);
    }

    /** Calls {@code claim} until no run is SCHEDULED; returns every answer (for threads racing each other). */
    <T> List<T> claimUntilNoneScheduled(java.util.function.Supplier<T> claim) {
        List<T> out = new ArrayList<>();
        do {
            out.add(claim.get());
        } while (count("SELECT count(*) FROM run WHERE state = 'SCHEDULED'") > 0);
        return out;
    }

    /** Runs {@code task} on {@code threads} threads released together; returns each thread's answer. */
    static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(180, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static ResultMessage result(RunView run, String worker, ResultStatus status, String error) {
        return result(run.id(), run.attempt(), worker, status, error);
    }

    static ResultMessage result(long runId, int attempt, String worker, ResultStatus status, String error) {
        return new ResultMessage(TaskMessage.CURRENT_VERSION, runId, attempt, worker, status, Instant.now(), error, null);
    }

    Runs.ResultOutcome apply(long epoch, ResultMessage m) {
        List<Runs.ResultOutcome> out = runs.applyResults(epoch, List.of(m), GRACE);
        if (out.size() != 1) {
            throw new AssertionError("expected one outcome, got " + out);
        }
        return out.get(0);
    }

    RunView run(long id) {
        return runs.find(id).orElseThrow(() -> new AssertionError("no run " + id));
    }

    /** Steps one run's clock forward: every time on the row that matters for due-ness moves back by {@code d}. */
    void age(long runId, Duration d) {
        int n = sql("UPDATE run SET due_at = due_at - ?::interval, deadline_at = deadline_at - ?::interval,"
                + " heartbeat_at = heartbeat_at - ?::interval, dispatched_at = dispatched_at - ?::interval,"
                + " started_at = started_at - ?::interval WHERE id = ?",
                iv(d), iv(d), iv(d), iv(d), iv(d), runId);
        if (n != 1) {
            throw new AssertionError("aged " + n + " runs");
        }
    }

    private static String iv(Duration d) {
        return d.toMillis() + " milliseconds";
    }

    int sql(String statement, Object... args) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    List<Map<String, Object>> rows(String query, Object... args) {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(query)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= columns; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    long count(String query, Object... args) {
        return ((Number) rows(query, args).get(0).values().iterator().next()).longValue();
    }

    Object value(String query, Object... args) {
        List<Map<String, Object>> r = rows(query, args);
        if (r.size() != 1) {
            throw new AssertionError("expected one row from " + query + ", got " + r);
        }
        return r.get(0).values().iterator().next();
    }

    /** Each run row, attempt row and event row: compared before and after an operation that must write nothing. */
    String snapshot() {
        return rows("SELECT * FROM run ORDER BY id").toString() + rows("SELECT * FROM run_attempt ORDER BY run_id, attempt")
                + rows("SELECT * FROM run_event ORDER BY id") + rows("SELECT * FROM job ORDER BY id");
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
