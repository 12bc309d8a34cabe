package dev.rota.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;

/**
 * What the {@link Checker} found in one scenario: named figures (in the order computed, scenario
 * figures appended), samples of offending runs, and one {@link Recovery} per leader fault. Printed as
 * a table and written to {@code target/chaos-report-<scenario>.json}. Timings are figures, not
 * invariants: scenarios assert only on their documented bounds.
 */
public final class ChaosReport {
    private static final int SAMPLES = 20;

    /**
     * Recovery from one leader fault.
     *
     * @param takeoverMs      from the fault to the new term's lease (leader_lease.acquired_at); -1: none seen
     * @param firstDispatchMs from the fault to the first dispatch by a newer epoch; -1: none
     */
    public record Recovery(String fault, String target, Instant at, long epochBefore, long newEpoch, String newLeader,
            long takeoverMs, long firstDispatchMs) {
    }

    private final String scenario;
    private final Instant until;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, List<String>> samples = new LinkedHashMap<>();
    private final List<Recovery> recoveries = new ArrayList<>();
    private final Map<String, Set<Long>> offendingRuns = new LinkedHashMap<>();

    ChaosReport(String scenario, Instant until) {
        this.scenario = scenario;
        this.until = until;
    }

    /** Adds or replaces a figure. */
    public ChaosReport put(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    void sample(String name, List<String> values, int max) {
        if (values.isEmpty()) {
            samples.remove(name);
        } else {
            samples.put(name, List.copyOf(values.subList(0, Math.min(max, values.size()))));
        }
    }

    void recovery(Recovery r) {
        recoveries.add(r);
    }

    /** A numeric figure; fails when absent. */
    public long figure(String name) {
        Object v = figures.get(name);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("no numeric figure '" + name + "' in " + figures.keySet());
        }
        return n.longValue();
    }

    public List<Recovery> recoveries() {
        return List.copyOf(recoveries);
    }

    public long lostFires() {
        return figure("lostFires");
    }

    public long duplicateFires() {
        return figure("duplicateFires");
    }

    /** A finding the checker made: its count as a figure, and samples. */
    void finding(String name, List<String> found) {
        figures.put(name, (long) found.size());
        sample(name, found, SAMPLES);
    }

    /** A check broken by runs: the count as a figure, the run ids for {@link Allowances}, and samples. */
    void offenders(String name, Set<Long> runIds, long count, List<String> found) {
        figures.put(name, count);
        offendingRuns.put(name, Set.copyOf(runIds));
        sample(name, found, SAMPLES);
    }

    /** The runs that broke check {@code name} (empty when none did). */
    public Set<Long> offendingRuns(String name) {
        if (!offendingRuns.containsKey(name)) {
            throw new IllegalArgumentException("no run check '" + name + "' in " + offendingRuns.keySet());
        }
        return offendingRuns.get(name);
    }

    /** A numeric entry of a per-job figure such as {@code missedByPolicy}; 0 when the job has none. */
    public long perJob(String figure, String job) {
        Object v = figures.get(figure);
        if (!(v instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("no per-job figure '" + figure + "' in " + figures.keySet());
        }
        return m.get(job) instanceof Number n ? n.longValue() : 0;
    }

    /**
     * What a scenario expects to see happen to particular runs, which the invariants otherwise forbid:
     * runs that may end DEAD, FAILED, TIMED_OUT or CANCELLED, and runs whose handler may complete more
     * than once (at-least-once execution, e.g. a worker frozen past its session). Anything else a check
     * finds still fails.
     */
    public record Allowances(Set<Long> mayEndBadly, Set<Long> mayRunAgain) {
        public static final Allowances NONE = new Allowances(Set.of(), Set.of());

        public Allowances {
            mayEndBadly = Set.copyOf(mayEndBadly);
            mayRunAgain = Set.copyOf(mayRunAgain);
        }

        public Allowances endingBadly(Collection<Long> runIds) {
            Set<Long> s = new TreeSet<>(mayEndBadly);
            s.addAll(runIds);
            return new Allowances(s, mayRunAgain);
        }

        public Allowances runningAgain(Collection<Long> runIds) {
            Set<Long> s = new TreeSet<>(mayRunAgain);
            s.addAll(runIds);
            return new Allowances(mayEndBadly, s);
        }
    }

    /** {@link #assertInvariants(Allowances)} with nothing allowed. */
    public void assertInvariants() {
        assertInvariants(Allowances.NONE);
    }

    /**
     * The invariants every scenario keeps: at least one fire owed (a scenario that owes nothing checked
     * nothing); no lost FIRE_ALL fire and no missed FIRE_ONCE or SKIP fire outside a handover; each
     * misfire policy owing exactly what it should; no fire off its cron; no cron the checker cannot
     * parse; no dispatch and no handler start before the scheduled time; every run up to the cut-off
     * final; no run with two successes; no success recorded before its handler finished; and, unless
     * {@code allowed}, no run ending DEAD, FAILED, TIMED_OUT or CANCELLED and no fire, run or attempt
     * whose handler completed more than once. All are checked; the failure message lists every one broken.
     */
    public void assertInvariants(Allowances allowed) {
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(figure("expectedFires")).as("fires owed up to the cut-off: none means nothing was checked")
                .isPositive();
        for (String name : List.of("lostFires", "misfirePolicyViolations", "offScheduleFires", "unparseableCrons",
                "earlyDispatches", "earlyHandlerStarts", "runsWithSeveralSuccesses", "unfinishedRuns",
                "successWithoutCompletedHandler")) {
            soft.assertThat(figure(name)).as("%s %s", name, samples.getOrDefault(name, List.of())).isZero();
        }
        for (String name : List.of("duplicateFires", "runsExecutedMoreThanOnce", "attemptsExecutedMoreThanOnce")) {
            soft.assertThat(offendingRuns(name)).as("%s beyond the runs allowed to run again %s: %s", name,
                    allowed.mayRunAgain(), samples.getOrDefault(name, List.of())).isSubsetOf(allowed.mayRunAgain());
        }
        soft.assertThat(offendingRuns("runsEndedBadly")).as("runs ended DEAD/FAILED/TIMED_OUT/CANCELLED beyond those"
                + " expected %s: %s", allowed.mayEndBadly(), samples.getOrDefault("runsEndedBadly", List.of()))
                .isSubsetOf(allowed.mayEndBadly());
        soft.assertAll();
    }

    /** The figures as an aligned table, then samples and recoveries. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("chaos report ").append(scenario).append(" (fires up to ").append(until).append(")\n");
        figures.forEach((k, v) -> sb.append(String.format("  %-28s %s%n", k, v)));
        for (Recovery r : recoveries) {
            String leadership = r.newEpoch() < 0 ? "no leadership change"
                    : String.format("epoch %d -> %d (%s), takeover %d ms", r.epochBefore(), r.newEpoch(), r.newLeader(),
                            r.takeoverMs());
            sb.append(String.format("  recovery: %-24s %-4s %s, next dispatch %d ms%n", r.fault(), r.target(),
                    leadership, r.firstDispatchMs()));
        }
        samples.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** Writes {@code chaos-report-<scenario>.json} to the report directory ({@code target}). */
    public Path write() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("firesUpTo", until.toString());
        json.put("figures", figures);
        List<Map<String, Object>> rs = new ArrayList<>();
        for (Recovery r : recoveries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", r.fault());
            m.put("target", r.target());
            m.put("at", r.at().toString());
            m.put("epochBefore", r.epochBefore());
            m.put("newEpoch", r.newEpoch());
            m.put("newLeader", r.newLeader());
            m.put("takeoverMs", r.takeoverMs());
            m.put("firstDispatchMs", r.firstDispatchMs());
            rs.add(m);
        }
        json.put("recoveries", rs);
        json.put("samples", samples);
        Path file = Path.of(System.getProperty("chaos.reportDir", "target"), "chaos-report-" + scenario + ".json");
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return file;
    }

    /** Prints the table and writes the JSON file. */
    public ChaosReport publish() {
        System.out.println(render());
        write();
        return this;
    }
}
