package dev.rota.chaos;

import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ClusterRecord.Attempt;
import dev.rota.chaos.ClusterRecord.Execution;
import dev.rota.chaos.ClusterRecord.Run;
import dev.rota.model.RunState;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * Reads what the cluster recorded ({@link ClusterRecord}) and turns it into a {@link ChaosReport}.
 *
 * <p>Fires are judged by {@link FireJudge}: owed cron times up to the cut-off {@code until} (so that a
 * fire still in flight at the end is not counted as lost), misfire policies, off-schedule fires,
 * unparseable crons. Every run, also one scheduled after the cut-off, is judged for: a dispatch
 * before its scheduled time (database clock), a handler start before it, more than one completed
 * execution per run, per attempt and per fire (counted from {@code chaos_execution}, which the
 * {@code record} handler writes once per execution), more than one SUCCEEDED attempt, a success
 * recorded before its handler finished, and an end in DEAD, FAILED, TIMED_OUT or CANCELLED. Runs up to
 * the cut-off must be final; later ones may still be in flight and are only counted. Leadership
 * changes and, per leader fault in the {@link FaultTimeline}, the time to recover are figures.
 */
public final class Checker {
    /** The masters' misfire threshold ({@code MasterTimings.fast()}, which {@link ChaosNodeMain} uses). */
    static final Duration MISFIRE_THRESHOLD = Duration.ofSeconds(1);
    private static final Set<String> BAD_ENDS = Set.of("DEAD", "FAILED", "TIMED_OUT", "CANCELLED");

    private final ChaosDatabase db;
    private final FaultTimeline timeline;

    public Checker(ChaosDatabase db, FaultTimeline timeline) {
        this.db = db;
        this.timeline = timeline;
    }

    /**
     * Waits, at most {@code timeout}, until every enabled job has a run for its last cron time at or
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

    private boolean settled(Instant until) throws ParseException {
        for (ClusterRecord.Job job : ClusterRecord.jobs(db)) {
            if (!job.enabled()) {
                continue;
            }
            CronExpression cron = new CronExpression(job.cron());
            cron.setTimeZone(TimeZone.getTimeZone(job.zone()));
            List<Instant> owed = FireJudge.fireTimes(cron, job.scheduleFrom(), until);
            if (!owed.isEmpty() && db.queryLong("SELECT count(*) FROM run WHERE job_id = ? AND scheduled_at = ?",
                    job.id(), owed.get(owed.size() - 1)) == 0) {
                return false;
            }
        }
        return db.queryLong("SELECT count(*) FROM run WHERE scheduled_at <= ? AND state IN"
                + " ('SCHEDULED', 'QUEUED', 'RUNNING')", until) == 0;
    }

    /** Judges what the scenario's schema holds, with the skips the masters' logs report. */
    public ChaosReport check(String scenario, Instant until, Map<String, Long> skipsReportedByLeaders) {
        return judge(scenario, ClusterRecord.read(db, skipsReportedByLeaders), until);
    }

    /** Judges {@code rec}: fires owed up to {@code until}, every run, recoveries from the timeline's faults. */
    ChaosReport judge(String scenario, ClusterRecord rec, Instant until) {
        ChaosReport report = new ChaosReport(scenario, until);
        Map<Long, Instant> termStarts = new java.util.HashMap<>();
        timeline.entries().stream().filter(e -> e.kind() == FaultTimeline.Kind.TAKEOVER)
                .forEach(e -> termStarts.put(e.epoch(), e.at()));
        new FireJudge(MISFIRE_THRESHOLD).judge(report, rec, until, termStarts);
        runs(report, rec, until);
        report.put("staleResults", rec.events().getOrDefault("STALE_RESULT", 0L));
        report.put("duplicateResults", rec.events().getOrDefault("DUPLICATE_RESULT", 0L));
        report.put("unknownRunResults", rec.events().getOrDefault("UNKNOWN_RUN", 0L));
        report.put("leaderEpoch", rec.epoch());
        report.put("leadershipChanges", Math.max(0, rec.epoch() - 1));
        report.put("epochsDispatching", rec.attempts().stream().map(Attempt::epoch)
                .collect(Collectors.toCollection(TreeSet::new)));
        lateness(report, rec);
        recoveries(report, rec.attempts());
        return report;
    }

    private void runs(ChaosReport report, ClusterRecord rec, Instant until) {
        Map<Long, List<Attempt>> attemptsByRun = rec.attempts().stream().collect(Collectors.groupingBy(Attempt::runId));
        Map<Long, List<Execution>> executionsByRun = rec.executions().stream()
                .collect(Collectors.groupingBy(Execution::runId));
        Offenders earlyDispatch = new Offenders();
        Offenders earlyStart = new Offenders();
        Offenders severalSuccesses = new Offenders();
        Offenders unfinished = new Offenders();
        Offenders successUnbacked = new Offenders();
        Offenders reRun = new Offenders();
        Offenders reAttempt = new Offenders();
        Offenders endedBadly = new Offenders();
        long inFlightAfterCutoff = 0;
        long redispatched = 0;
        long maxExecutions = 0;
        Map<String, Long> states = new TreeMap<>();
        for (Run r : rec.runs()) {
            states.merge(r.state(), 1L, Long::sum);
            List<Attempt> as = attemptsByRun.getOrDefault(r.id(), List.of());
            List<Execution> es = executionsByRun.getOrDefault(r.id(), List.of());
            for (Attempt a : as) {
                if (a.dispatchedAt().isBefore(r.scheduledAt())) {
                    earlyDispatch.add(r.id(), r.id() + ":" + a.attempt() + " dispatched " + a.dispatchedAt() + " < "
                            + r.scheduledAt());
                }
            }
            for (Execution e : es) {
                if (e.startedAt().isBefore(r.scheduledAt())) {
                    earlyStart.add(r.id(), r.id() + ":" + e.attempt() + " handler started " + e.startedAt() + " on "
                            + e.workerId() + " < " + r.scheduledAt());
                }
            }
            if (as.stream().filter(a -> "SUCCEEDED".equals(a.outcome())).count() > 1) {
                severalSuccesses.add(r.id(), r.id() + " " + as);
            }
            if (as.size() > 1) {
                redispatched++;
            }
            if (!RunState.valueOf(r.state()).isFinal()) {
                if (r.scheduledAt().isAfter(until)) {
                    inFlightAfterCutoff++;
                } else {
                    unfinished.add(r.id(), r.id() + " " + r.state() + " attempt " + r.attempt() + " on " + r.workerId());
                }
            }
            if (BAD_ENDS.contains(r.state())) {
                endedBadly.add(r.id(), r.id() + " " + r.taskType() + " " + r.state() + " attempt " + r.attempt()
                        + " after " + es.size() + " execution(s)");
            }
            maxExecutions = Math.max(maxExecutions, es.size());
            if (es.size() > 1) {
                reRun.add(r.id(), r.id() + " executed " + es.size() + "x on "
                        + es.stream().map(e -> e.attempt() + "/" + e.workerId()).toList());
            }
            Map<Integer, Long> perAttempt = es.stream().collect(Collectors.groupingBy(Execution::attempt,
                    Collectors.counting()));
            perAttempt.forEach((attempt, n) -> {
                if (n > 1) {
                    reAttempt.add(r.id(), r.id() + ":" + attempt + " executed " + n + "x");
                }
            });
            if (RecordHandlerProvider.TASK_TYPE.equals(r.taskType()) && "SUCCEEDED".equals(r.state())
                    && es.stream().noneMatch(e -> e.attempt() == r.attempt() && r.finishedAt() != null
                            && !e.finishedAt().isAfter(r.finishedAt()))) {
                successUnbacked.add(r.id(), r.id() + " SUCCEEDED at " + r.finishedAt() + " (attempt " + r.attempt()
                        + "), handler completions " + es.stream().map(e -> e.attempt() + "@" + e.finishedAt()).toList());
            }
        }
        Offenders doubledFires = new Offenders();
        Map<String, List<Execution>> byFire = new HashMap<>();
        for (Execution e : rec.executions()) {
            if (e.jobName() != null) {
                byFire.computeIfAbsent(e.jobName() + "@" + e.scheduledAt(), k -> new ArrayList<>()).add(e);
            }
        }
        byFire.forEach((fire, es) -> {
            if (es.size() > 1) {
                es.forEach(e -> doubledFires.ids.add(e.runId()));
                doubledFires.samples.add(fire + " executed " + es.size() + "x (runs "
                        + es.stream().map(Execution::runId).distinct().toList() + ")");
            }
        });
        report.put("runStates", states);
        report.offenders("duplicateFires", doubledFires.ids, doubledFires.samples.size(), doubledFires.samples);
        report.offenders("earlyDispatches", earlyDispatch.ids, earlyDispatch.samples.size(), earlyDispatch.samples);
        report.offenders("earlyHandlerStarts", earlyStart.ids, earlyStart.samples.size(), earlyStart.samples);
        report.offenders("runsWithSeveralSuccesses", severalSuccesses.ids, severalSuccesses.ids.size(),
                severalSuccesses.samples);
        report.offenders("unfinishedRuns", unfinished.ids, unfinished.ids.size(), unfinished.samples);
        report.put("inFlightAfterCutoff", inFlightAfterCutoff);
        report.offenders("successWithoutCompletedHandler", successUnbacked.ids, successUnbacked.ids.size(),
                successUnbacked.samples);
        report.offenders("runsEndedBadly", endedBadly.ids, endedBadly.ids.size(), endedBadly.samples);
        report.offenders("runsExecutedMoreThanOnce", reRun.ids, reRun.ids.size(), reRun.samples);
        report.offenders("attemptsExecutedMoreThanOnce", reAttempt.ids, reAttempt.samples.size(), reAttempt.samples);
        report.put("maxExecutionsPerRun", maxExecutions);
        report.put("executions", (long) rec.executions().size());
        report.put("runsRedispatched", redispatched);
    }

    /** Runs that broke one check, and a line about each offence. */
    private static final class Offenders {
        private final Set<Long> ids = new TreeSet<>();
        private final List<String> samples = new ArrayList<>();

        void add(long runId, String sample) {
            ids.add(runId);
            samples.add(sample);
        }
    }

    private void lateness(ChaosReport report, ClusterRecord rec) {
        Map<Long, Run> cronRuns = rec.runs().stream().filter(r -> r.jobId() != null)
                .collect(Collectors.toMap(Run::id, r -> r));
        List<Long> late = new ArrayList<>();
        for (Attempt a : rec.attempts()) {
            Run r = cronRuns.get(a.runId());
            if (r != null && a.attempt() == 1) {
                late.add(Duration.between(r.scheduledAt(), a.dispatchedAt()).toMillis());
            }
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
}
