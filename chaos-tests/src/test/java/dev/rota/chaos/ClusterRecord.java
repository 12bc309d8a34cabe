package dev.rota.chaos;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the {@link Checker} judges, read in one go: the rows of {@code job}, {@code run},
 * {@code run_attempt} and {@code chaos_execution}, the counts of {@code run_event} kinds, the current
 * epoch, and the misfires each leader said it skipped ({@code EVENT MISFIRES_SKIPPED} in the masters'
 * logs). A plain value, so that the checker's unit tests can feed it rows that break each invariant.
 */
record ClusterRecord(List<Job> jobs, List<Run> runs, List<Attempt> attempts, List<Execution> executions,
        Map<String, Long> events, long epoch, Map<String, Long> skipsReportedByLeaders) {

    /** A row of {@code job}. */
    record Job(long id, String name, String cron, String zone, String policy, Instant scheduleFrom, boolean enabled) {
    }

    /** A row of {@code run}; {@code finishedAt} is the database clock when the leader ended it. */
    record Run(long id, Long jobId, String taskType, Instant scheduledAt, String state, int attempt, String workerId,
            Instant finishedAt) {
    }

    /** A row of {@code run_attempt}; {@code dispatchedAt} is the database clock of the dispatch. */
    record Attempt(long runId, int attempt, long epoch, String workerId, String outcome, Instant dispatchedAt) {
    }

    /**
     * A row of {@code chaos_execution}: one completed execution of the {@code record} handler.
     * {@code startedAt} is the worker JVM's clock when the handler began (the same host clock as
     * PostgreSQL's: the harness runs everything on one machine); {@code finishedAt} is the database clock.
     */
    record Execution(long runId, int attempt, String workerId, String jobName, Instant scheduledAt, Instant startedAt,
            Instant finishedAt) {
    }

    ClusterRecord {
        jobs = List.copyOf(jobs);
        runs = List.copyOf(runs);
        attempts = List.copyOf(attempts);
        executions = List.copyOf(executions);
        events = Map.copyOf(events);
        skipsReportedByLeaders = Map.copyOf(skipsReportedByLeaders);
    }

    static List<Job> jobs(ChaosDatabase db) {
        return db.query("SELECT id, name, cron, time_zone, misfire_policy, schedule_from, enabled FROM job ORDER BY id",
                rs -> new Job(rs.getLong("id"), rs.getString("name"), rs.getString("cron"), rs.getString("time_zone"),
                        rs.getString("misfire_policy"), ChaosDatabase.instant(rs, "schedule_from"),
                        rs.getBoolean("enabled")));
    }

    /** Reads the scenario's schema; {@code skipsReportedByLeaders} comes from the masters' logs. */
    static ClusterRecord read(ChaosDatabase db, Map<String, Long> skipsReportedByLeaders) {
        List<Job> jobs = jobs(db);
        List<Run> runs = db.query("SELECT id, job_id, task_type, scheduled_at, state, attempt, worker_id, finished_at"
                + " FROM run ORDER BY id", rs -> new Run(rs.getLong("id"), (Long) rs.getObject("job_id"),
                rs.getString("task_type"), ChaosDatabase.instant(rs, "scheduled_at"), rs.getString("state"),
                rs.getInt("attempt"), rs.getString("worker_id"), ChaosDatabase.instant(rs, "finished_at")));
        List<Attempt> attempts = db.query("SELECT run_id, attempt, epoch, worker_id, outcome, dispatched_at"
                + " FROM run_attempt ORDER BY run_id, attempt", rs -> new Attempt(rs.getLong("run_id"),
                rs.getInt("attempt"), rs.getLong("epoch"), rs.getString("worker_id"), rs.getString("outcome"),
                ChaosDatabase.instant(rs, "dispatched_at")));
        List<Execution> executions = db.query("SELECT run_id, attempt, worker_id, job_name, scheduled_at, started_at,"
                + " finished_at FROM chaos_execution ORDER BY id", rs -> new Execution(rs.getLong("run_id"),
                rs.getInt("attempt"), rs.getString("worker_id"), rs.getString("job_name"),
                ChaosDatabase.instant(rs, "scheduled_at"), ChaosDatabase.instant(rs, "started_at"),
                ChaosDatabase.instant(rs, "finished_at")));
        Map<String, Long> events = new TreeMap<>();
        db.query("SELECT kind, count(*) FROM run_event GROUP BY kind", rs -> events.put(rs.getString(1), rs.getLong(2)));
        long epoch = db.queryLong("SELECT epoch FROM leader_lease WHERE id = 1");
        return new ClusterRecord(jobs, runs, attempts, executions, events, epoch, skipsReportedByLeaders);
    }
}
