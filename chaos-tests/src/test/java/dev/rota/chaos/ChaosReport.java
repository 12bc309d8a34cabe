package dev.rota.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;

/**
 * What the {@link Checker} found in one scenario: named figures (in the order computed, scenario
 * figures appended), samples of offending runs, and one {@link Recovery} per leader fault. Printed as
 * a table and written to {@code target/chaos-report-<scenario>.json}. Timings are figures, not
 * invariants: scenarios assert only on their documented bounds.
 */
public final class ChaosReport {
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
        if (!values.isEmpty()) {
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

    /**
     * The invariants every scenario keeps: no lost FIRE_ALL fire, no duplicate or early fire, no run with
     * two successes, every run final, and no success without an execution. All are checked; the failure
     * message lists every one broken.
     */
    public void assertInvariants() {
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(lostFires()).as("lost fires %s", samples.getOrDefault("lostFires", List.of())).isZero();
        soft.assertThat(duplicateFires()).as("duplicate fires").isZero();
        soft.assertThat(figure("earlyFires")).as("early fires %s", samples.getOrDefault("earlyFires", List.of()))
                .isZero();
        soft.assertThat(figure("runsWithSeveralSuccesses")).as("runs with more than one SUCCEEDED attempt").isZero();
        soft.assertThat(figure("unfinishedRuns")).as("unfinished runs %s", samples.getOrDefault("unfinishedRuns",
                List.of())).isZero();
        soft.assertThat(figure("succeededWithoutExecution")).as("SUCCEEDED runs the handler never completed").isZero();
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
