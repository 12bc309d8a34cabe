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

    static Runs.Fire fire(JobDefinition job, Instant at) {
        return new Runs.Fire(job, at);
    }

    /** Records one fire and returns its result. */
    Runs.FireResult record(long epoch, JobDefinition job, Instant at) {
        List<Runs.FireResult> results = runs.recordFires(epoch, List.of(fire(job, at)));
        if (results.size() != 1) {
            throw new AssertionError("expected one result, got " + results);
        }
        return results.get(0);
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
