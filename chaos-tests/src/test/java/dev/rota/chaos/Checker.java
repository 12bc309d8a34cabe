package dev.rota.chaos;

import static org.awaitility.Awaitility.await;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.quartz.CronExpression;

/**
 * Reads what the cluster recorded ({@code job}, {@code run}, {@code run_attempt}, {@code run_event},
 * {@code leader_lease}, {@code chaos_execution}) and turns it into a {@link ChaosReport}: lost,
 * duplicate and early fires, runs with more than one success, unfinished runs, executions per run,
 * lateness, leadership changes and, per leader fault in the {@link FaultTimeline}, the time to
 * recover. Only fires scheduled up to a cut-off are judged, so that a fire still in flight at the end
 * is not counted as lost.
 */
public final class Checker {
    private static final int SAMPLES = 20;

    private record Job(long id, String name, String cron, String zone, String policy, Instant scheduleFrom,
            boolean enabled) {
    }

    private record Run(long id, Long jobId, String taskType, Instant scheduledAt, String state, int attempt,
            String workerId) {
    }

    private record Attempt(long runId, int attempt, long epoch, String workerId, String outcome, Instant dispatchedAt,
            Instant startedAt) {
    }

    private record Execution(long runId, int attempt, String workerId, Instant startedAt) {
    }

    private final ChaosDatabase db;
    private final FaultTimeline timeline;

    public Checker(ChaosDatabase db, FaultTimeline timeline) {
        this.db = db;
        this.timeline = timeline;
    }

    /**
     * Waits, at most {@code timeout}, until every enabled FIRE_ALL job has a run for its last fire at or
     * before {@code until} and every run scheduled up to then is final. Returns either way: what is
     * missing then shows in the report.
     */
    public void awaitSettled(Instant until, Duration timeout) {
        try {
            await("fires up to " + until + " recorded and finished").atMost(timeout)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> settled(until));
        } catch (ConditionTimeoutException e) {
            timeline.note("not settled within " + timeout + ": " + e.getMessage());
        }
    }

    private boolean settled(Instant until) {
        for (Job job : jobs()) {
            if (!job.enabled() || !"FIRE_ALL".equals(job.policy())) {
                continue;
            }
            List<Instant> expected = fireTimes(job, until);
            if (!expected.isEmpty() && db.queryLong("SELECT count(*) FROM run WHERE job_id = ? AND scheduled_at = ?",
                    job.id(), expected.get(expected.size() - 1)) == 0) {
                return false;
            }
        }
        return db.queryLong("SELECT count(*) FROM run WHERE scheduled_at <= ? AND state IN"
                + " ('SCHEDULED', 'QUEUED', 'RUNNING')", until) == 0;
    }

    /** Judges fires and tasks scheduled up to {@code until}. */
    public ChaosReport check(String scenario, Instant until) {
        List<Job> jobs = jobs();
        List<Run> runs = db.query("SELECT id, job_id, task_type, scheduled_at, state, attempt, worker_id FROM run"
                + " WHERE scheduled_at <= ? ORDER BY id", rs -> new Run(rs.getLong("id"),
                (Long) rs.getObject("job_id"), rs.getString("task_type"), ChaosDatabase.instant(rs, "scheduled_at"),
                rs.getString("state"), rs.getInt("attempt"), rs.getString("worker_id")), until);
        List<Attempt> attempts = db.query("SELECT run_id, attempt, epoch, worker_id, outcome, dispatched_at, started_at"
                + " FROM run_attempt ORDER BY run_id, attempt", rs -> new Attempt(rs.getLong("run_id"),
                rs.getInt("attempt"), rs.getLong("epoch"), rs.getString("worker_id"), rs.getString("outcome"),
                ChaosDatabase.instant(rs, "dispatched_at"), ChaosDatabase.instant(rs, "started_at")));
        List<Execution> executions = db.query("SELECT run_id, attempt, worker_id, started_at FROM chaos_execution",
                rs -> new Execution(rs.getLong("run_id"), rs.getInt("attempt"), rs.getString("worker_id"),
                        ChaosDatabase.instant(rs, "started_at")));
        Map<String, Long> events = new TreeMap<>();
        db.query("SELECT kind, count(*) FROM run_event GROUP BY kind", rs -> events.put(rs.getString(1), rs.getLong(2)));
        ChaosCluster.Lease lease = db.query("SELECT epoch, leader_id, acquired_at FROM leader_lease WHERE id = 1",
                rs -> new ChaosCluster.Lease(rs.getLong(1), rs.getString(2), ChaosDatabase.instant(rs, "acquired_at")))
                .get(0);

        ChaosReport report = new ChaosReport(scenario, until);
        Map<Long, Run> runById = runs.stream().collect(Collectors.toMap(Run::id, r -> r));
        Map<Long, List<Attempt>> attemptsByRun = attempts.stream().filter(a -> runById.containsKey(a.runId()))
                .collect(Collectors.groupingBy(Attempt::runId));
        Map<Long, List<Execution>> executionsByRun = executions.stream().filter(e -> runById.containsKey(e.runId()))
                .collect(Collectors.groupingBy(Execution::runId));

        fires(report, jobs, runs, until);
        outcomes(report, runs, attemptsByRun, executionsByRun);
        lateness(report, runs, attemptsByRun);
        report.put("staleResults", events.getOrDefault("STALE_RESULT", 0L));
        report.put("duplicateResults", events.getOrDefault("DUPLICATE_RESULT", 0L));
        report.put("unknownRunResults", events.getOrDefault("UNKNOWN_RUN", 0L));
        report.put("leaderEpoch", lease.epoch());
        report.put("leadershipChanges", Math.max(0, lease.epoch() - 1));
        report.put("epochsDispatching", attempts.stream().map(Attempt::epoch).collect(Collectors.toCollection(TreeSet::new)));
        recoveries(report, attempts);
        return report;
    }

    private void fires(ChaosReport report, List<Job> jobs, List<Run> runs, Instant until) {
        Map<Long, Map<Instant, Integer>> firesByJob = new HashMap<>();
        for (Run r : runs) {
            if (r.jobId() != null) {
                firesByJob.computeIfAbsent(r.jobId(), k -> new HashMap<>()).merge(r.scheduledAt(), 1, Integer::sum);
            }
        }
        long expected = 0;
        long skippedByPolicy = 0;
        long duplicates = 0;
        List<String> lost = new ArrayList<>();
        for (Job job : jobs) {
            Map<Instant, Integer> recorded = firesByJob.getOrDefault(job.id(), Map.of());
            duplicates += recorded.values().stream().mapToLong(c -> c - 1).sum();
            List<Instant> owed = fireTimes(job, until);
            for (Instant t : owed) {
                if (recorded.containsKey(t)) {
                    continue;
                }
                if ("FIRE_ALL".equals(job.policy())) {
                    lost.add(job.name() + "@" + t);
                } else {
                    skippedByPolicy++;
                }
            }
            if ("FIRE_ALL".equals(job.policy())) {
                expected += owed.size();
            }
        }
        report.put("jobs", jobs.size());
        report.put("expectedFires", expected);
        report.put("cronRuns", runs.stream().filter(r -> r.jobId() != null).count());
        report.put("oneOffRuns", runs.stream().filter(r -> r.jobId() == null).count());
        report.put("lostFires", (long) lost.size());
        report.put("duplicateFires", duplicates);
        report.put("missedByPolicy", skippedByPolicy);
        report.sample("lostFires", lost, SAMPLES);
    }

    private void outcomes(ChaosReport report, List<Run> runs, Map<Long, List<Attempt>> attemptsByRun,
            Map<Long, List<Execution>> executionsByRun) {
        long early = 0;
        long multiSuccess = 0;
        long succeededWithoutExecution = 0;
        long multiExecution = 0;
        long maxExecutions = 0;
        long redispatched = 0;
        List<String> unfinished = new ArrayList<>();
        List<String> earlySamples = new ArrayList<>();
        Map<String, Long> states = new TreeMap<>();
        for (Run r : runs) {
            states.merge(r.state(), 1L, Long::sum);
            List<Attempt> as = attemptsByRun.getOrDefault(r.id(), List.of());
            Attempt first = as.stream().min(Comparator.comparingInt(Attempt::attempt)).orElse(null);
            if (first != null && first.dispatchedAt().isBefore(r.scheduledAt())) {
                early++;
                earlySamples.add(r.id() + " dispatched " + first.dispatchedAt() + " < " + r.scheduledAt());
            }
            if (as.stream().filter(a -> "SUCCEEDED".equals(a.outcome())).count() > 1) {
                multiSuccess++;
            }
            if (as.size() > 1) {
                redispatched++;
            }
            if (!dev.rota.model.RunState.valueOf(r.state()).isFinal()) {
                unfinished.add(r.id() + " " + r.state() + " attempt " + r.attempt() + " on " + r.workerId());
            }
            int n = executionsByRun.getOrDefault(r.id(), List.of()).size();
            if (RecordHandlerProvider.TASK_TYPE.equals(r.taskType())) {
                if ("SUCCEEDED".equals(r.state()) && n == 0) {
                    succeededWithoutExecution++;
                }
                if (n > 1) {
                    multiExecution++;
                }
                maxExecutions = Math.max(maxExecutions, n);
            }
        }
        report.put("runStates", states);
        report.put("earlyFires", early);
        report.put("runsWithSeveralSuccesses", multiSuccess);
        report.put("unfinishedRuns", (long) unfinished.size());
        report.put("succeededWithoutExecution", succeededWithoutExecution);
        report.put("runsExecutedMoreThanOnce", multiExecution);
        report.put("maxExecutionsPerRun", maxExecutions);
        report.put("executions", executionsByRun.values().stream().mapToLong(List::size).sum());
        report.put("runsRedispatched", redispatched);
        report.sample("unfinishedRuns", unfinished, SAMPLES);
        report.sample("earlyFires", earlySamples, SAMPLES);
    }

    private void lateness(ChaosReport report, List<Run> runs, Map<Long, List<Attempt>> attemptsByRun) {
        List<Long> late = new ArrayList<>();
        for (Run r : runs) {
            if (r.jobId() == null) {
                continue;
            }
            attemptsByRun.getOrDefault(r.id(), List.of()).stream().filter(a -> a.attempt() == 1).findFirst()
                    .ifPresent(a -> late.add(Duration.between(r.scheduledAt(), a.dispatchedAt()).toMillis()));
        }
        late.sort(null);
        report.put("latenessP50Ms", percentile(late, 50));
        report.put("latenessP99Ms", percentile(late, 99));
        report.put("latenessMaxMs", late.isEmpty() ? -1 : late.get(late.size() - 1));
    }

    private void recoveries(ChaosReport report, List<Attempt> attempts) {
        List<FaultTimeline.Entry> faults = timeline.faults();
        for (int i = 0; i < faults.size(); i++) {
            FaultTimeline.Entry fault = faults.get(i);
            if (fault.epoch() < 0) {
                continue;
            }
            // A takeover after the next fault belongs to that fault, not to this one.
            Instant nextFault = i + 1 < faults.size() ? faults.get(i + 1).at() : Instant.MAX;
            var takeover = timeline.takeoverAfter(fault.at(), fault.epoch()).filter(t -> t.at().isBefore(nextFault));
            // After a takeover: the new term's first dispatch; without one: the leader's next dispatch.
            long fromEpoch = takeover.isPresent() ? fault.epoch() + 1 : fault.epoch();
            Instant firstDispatch = attempts.stream()
                    .filter(a -> a.epoch() >= fromEpoch && !a.dispatchedAt().isBefore(fault.at()))
                    .map(Attempt::dispatchedAt).min(Comparator.naturalOrder()).orElse(null);
            report.recovery(new ChaosReport.Recovery(fault.what(), fault.target(), fault.at(), fault.epoch(),
                    takeover.map(FaultTimeline.Entry::epoch).orElse(-1L),
                    takeover.map(FaultTimeline.Entry::target).orElse(null),
                    takeover.map(t -> Duration.between(fault.at(), t.at()).toMillis()).orElse(-1L),
                    firstDispatch == null ? -1 : Duration.between(fault.at(), firstDispatch).toMillis()));
        }
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private List<Job> jobs() {
        return db.query("SELECT id, name, cron, time_zone, misfire_policy, schedule_from, enabled FROM job ORDER BY id",
                rs -> new Job(rs.getLong("id"), rs.getString("name"), rs.getString("cron"), rs.getString("time_zone"),
                        rs.getString("misfire_policy"), ChaosDatabase.instant(rs, "schedule_from"),
                        rs.getBoolean("enabled")));
    }

    /** The job's cron times in (schedule_from, until], as the scheduler owes them. */
    private static List<Instant> fireTimes(Job job, Instant until) {
        CronExpression cron;
        try {
            cron = new CronExpression(job.cron());
        } catch (ParseException e) {
            return List.of();
        }
        cron.setTimeZone(TimeZone.getTimeZone(job.zone()));
        List<Instant> out = new ArrayList<>();
        Set<Instant> seen = new HashSet<>();
        for (Date d = cron.getNextValidTimeAfter(Date.from(job.scheduleFrom())); d != null && !d.toInstant().isAfter(until);
                d = cron.getNextValidTimeAfter(d)) {
            if (seen.add(d.toInstant())) {
                out.add(d.toInstant());
            }
        }
        return out;
    }
}
