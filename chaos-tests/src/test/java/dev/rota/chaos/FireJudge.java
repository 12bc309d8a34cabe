package dev.rota.chaos;

import dev.rota.chaos.ClusterRecord.Attempt;
import dev.rota.chaos.ClusterRecord.Job;
import dev.rota.chaos.ClusterRecord.Run;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeMap;
import org.quartz.CronExpression;

/**
 * Judges the fires of every job against its cron and its misfire policy, from the rows alone.
 *
 * <p>A job owes every cron time in {@code (schedule_from, until]}. A missing FIRE_ALL time is lost. A
 * missing FIRE_ONCE or SKIP time is excused only inside a <em>handover window</em>: from one second
 * before the last dispatch of an epoch to one second after the first dispatch of the next one (the new
 * leader reconciles job after job, each with its own clock reading), when no leader could fire on time. Inside a window the missed times of a job must be one unbroken stretch of its cron, followed
 * by a recorded fire (the new leader resumed the schedule); for FIRE_ONCE that fire must be the
 * catch-up (dispatched at least the misfire threshold after its time, as the leader fires the latest
 * missed time, never an on-time one); and the count of missed times must equal the count the leaders
 * reported skipping ({@code MISFIRES_SKIPPED}). A recorded fire at a time the cron never produces is off
 * schedule. A cron the checker cannot parse is an error, not a job that owes nothing. A disabled job
 * owes nothing (the rows do not say since when it is disabled), but its fires are still checked against
 * its cron.
 *
 * <p>Where the harness saw a term begin, the policy is also held to the fires that exist: a time more
 * than the misfire threshold before the term's start was missed, so a SKIP job's run at that time first
 * dispatched by that term is a late fire SKIP forbids, and FIRE_ONCE may have one such run per term (its
 * catch-up), never more. This catches fires an earlier leader recorded ahead and the new one dispatched
 * late, which the missing-times count cannot see.
 */
final class FireJudge {
    /** How far a handover window reaches beyond the old epoch's last and the new epoch's first dispatch. */
    static final Duration HANDOVER_SLACK = Duration.ofSeconds(1);

    /** The time between two epochs' dispatches, when a misfire policy decides what is owed. */
    record Window(long fromEpoch, long toEpoch, Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }

        @Override
        public String toString() {
            return "epoch " + fromEpoch + "->" + toEpoch + " [" + from + ", " + to + ")";
        }
    }

    private final Duration misfireThreshold;

    FireJudge(Duration misfireThreshold) {
        this.misfireThreshold = misfireThreshold;
    }

    /** @param termStarts when each term the harness saw began (the lease's acquired_at), by epoch */
    void judge(ChaosReport report, ClusterRecord rec, Instant until, Map<Long, Instant> termStarts) {
        List<Window> windows = handovers(rec.attempts());
        Map<Long, Instant> firstDispatch = new HashMap<>();
        Map<Long, Long> firstEpoch = new HashMap<>();
        for (Attempt a : rec.attempts()) {
            firstDispatch.merge(a.runId(), a.dispatchedAt(), (x, y) -> x.isBefore(y) ? x : y);
            if (a.attempt() == 1) {
                firstEpoch.put(a.runId(), a.epoch());
            }
        }
        Map<Long, TreeMap<Instant, Run>> firesByJob = new HashMap<>();
        for (Run r : rec.runs()) {
            if (r.jobId() != null) {
                firesByJob.computeIfAbsent(r.jobId(), k -> new TreeMap<>()).put(r.scheduledAt(), r);
            }
        }
        long expected = 0;
        List<String> lost = new ArrayList<>();
        List<String> offSchedule = new ArrayList<>();
        List<String> unparseable = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        Map<String, Long> missedByPolicy = new LinkedHashMap<>();
        Map<String, Long> catchUps = new LinkedHashMap<>();
        for (Job job : rec.jobs()) {
            TreeMap<Instant, Run> recorded = firesByJob.getOrDefault(job.id(), new TreeMap<>());
            CronExpression cron;
            try {
                cron = new CronExpression(job.cron());
                cron.setTimeZone(TimeZone.getTimeZone(job.zone()));
            } catch (ParseException e) {
                unparseable.add(job.name() + ": '" + job.cron() + "' (" + e.getMessage() + ")");
                continue;
            }
            for (Instant t : recorded.keySet()) {
                // Quartz ignores the milliseconds of the date it tests; a cron time has none.
                if (t.getNano() != 0 || !cron.isSatisfiedBy(Date.from(t))) {
                    offSchedule.add(job.name() + "@" + t + " (run " + recorded.get(t).id() + ")");
                }
            }
            if (!job.enabled()) {
                continue;
            }
            List<Instant> owed = fireTimes(cron, job.scheduleFrom(), until);
            expected += owed.size();
            Map<Window, List<Integer>> missedIn = new LinkedHashMap<>();
            for (int i = 0; i < owed.size(); i++) {
                Instant t = owed.get(i);
                if (recorded.containsKey(t)) {
                    continue;
                }
                Optional<Window> w = "FIRE_ALL".equals(job.policy()) ? Optional.empty()
                        : windows.stream().filter(x -> x.contains(t)).findFirst();
                if (w.isEmpty()) {
                    lost.add(job.name() + "@" + t + ("FIRE_ALL".equals(job.policy()) ? "" : " (no handover then)"));
                } else {
                    missedIn.computeIfAbsent(w.get(), k -> new ArrayList<>()).add(i);
                }
            }
            long excused = 0;
            for (Map.Entry<Window, List<Integer>> e : missedIn.entrySet()) {
                List<Integer> idx = e.getValue();
                excused += idx.size();
                String where = job.name() + " (" + job.policy() + ") in " + e.getKey();
                if (idx.get(idx.size() - 1) - idx.get(0) + 1 != idx.size()) {
                    violations.add(where + ": missed times " + idx.size() + " are not one stretch of the cron");
                }
                Date next = cron.getNextValidTimeAfter(Date.from(owed.get(idx.get(idx.size() - 1))));
                Run resumed = next == null ? null : recorded.get(next.toInstant());
                if (resumed == null) {
                    violations.add(where + ": no fire at " + (next == null ? "-" : next.toInstant())
                            + " after " + idx.size() + " missed: the schedule did not resume");
                } else if ("FIRE_ONCE".equals(job.policy())) {
                    Instant dispatched = firstDispatch.get(resumed.id());
                    if (dispatched == null || dispatched.isBefore(resumed.scheduledAt().plus(misfireThreshold))) {
                        violations.add(where + ": " + idx.size() + " missed, but the fire after them (run "
                                + resumed.id() + " at " + resumed.scheduledAt() + ", dispatched " + dispatched
                                + ") is not the catch-up FIRE_ONCE owes");
                    } else {
                        catchUps.merge(job.name(), 1L, Long::sum);
                    }
                }
            }
            if (!"FIRE_ALL".equals(job.policy())) {
                lateAfterTakeover(job, recorded, firstEpoch, termStarts, violations);
                missedByPolicy.put(job.name(), excused);
                long reported = rec.skipsReportedByLeaders().getOrDefault(job.name(), 0L);
                if (reported != excused) {
                    violations.add(job.name() + " (" + job.policy() + "): leaders reported skipping " + reported
                            + " fire(s), the record misses " + excused);
                }
            }
        }
        report.put("jobs", (long) rec.jobs().size());
        report.put("expectedFires", expected);
        report.put("cronRuns", rec.runs().stream().filter(r -> r.jobId() != null).count());
        report.put("oneOffRuns", rec.runs().stream().filter(r -> r.jobId() == null).count());
        report.put("handoverWindows", (long) windows.size());
        report.finding("lostFires", lost);
        report.finding("offScheduleFires", offSchedule);
        report.finding("unparseableCrons", unparseable);
        report.finding("misfirePolicyViolations", violations);
        report.put("missedByPolicy", missedByPolicy);
        report.put("fireOnceCatchUps", catchUps);
    }

    /** Runs of a SKIP or FIRE_ONCE job at times missed before a term began, first dispatched by that term. */
    private void lateAfterTakeover(Job job, TreeMap<Instant, Run> recorded, Map<Long, Long> firstEpoch,
            Map<Long, Instant> termStarts, List<String> violations) {
        Map<Long, List<Instant>> byTerm = new TreeMap<>();
        for (Run r : recorded.values()) {
            Long epoch = firstEpoch.get(r.id());
            Instant start = epoch == null ? null : termStarts.get(epoch);
            if (start != null && r.scheduledAt().isBefore(start.minus(misfireThreshold))) {
                byTerm.computeIfAbsent(epoch, e -> new ArrayList<>()).add(r.scheduledAt());
            }
        }
        int allowed = "FIRE_ONCE".equals(job.policy()) ? 1 : 0;
        byTerm.forEach((epoch, times) -> {
            if (times.size() > allowed) {
                violations.add(job.name() + " (" + job.policy() + "): epoch " + epoch + " began at "
                        + termStarts.get(epoch) + " and first dispatched " + times.size() + " fire(s) missed before it "
                        + times + "; the policy allows " + allowed);
            }
        });
    }

    /** Windows between consecutive epochs that dispatched, from their dispatch times. */
    static List<Window> handovers(List<Attempt> attempts) {
        TreeMap<Long, Instant[]> span = new TreeMap<>();
        for (Attempt a : attempts) {
            span.merge(a.epoch(), new Instant[] {a.dispatchedAt(), a.dispatchedAt()}, (x, y) -> new Instant[] {
                    x[0].isBefore(y[0]) ? x[0] : y[0], x[1].isAfter(y[1]) ? x[1] : y[1]});
        }
        List<Window> out = new ArrayList<>();
        Map.Entry<Long, Instant[]> prev = null;
        for (Map.Entry<Long, Instant[]> e : span.entrySet()) {
            if (prev != null) {
                out.add(new Window(prev.getKey(), e.getKey(), prev.getValue()[1].minus(HANDOVER_SLACK),
                        e.getValue()[0].plus(HANDOVER_SLACK)));
            }
            prev = e;
        }
        out.sort(Comparator.comparing(Window::from));
        return out;
    }

    /** The cron's times in {@code (after, upTo]}. */
    static List<Instant> fireTimes(CronExpression cron, Instant after, Instant upTo) {
        List<Instant> out = new ArrayList<>();
        for (Date d = cron.getNextValidTimeAfter(Date.from(after)); d != null && !d.toInstant().isAfter(upTo);
                d = cron.getNextValidTimeAfter(d)) {
            out.add(d.toInstant());
        }
        return out;
    }
}
