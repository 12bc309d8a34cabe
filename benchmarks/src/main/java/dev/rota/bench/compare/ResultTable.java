package dev.rota.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Collects figures by workload, metric and contender over repeated runs, and prints them as one
 * Markdown table: each figure (the median when there are several runs) and Rota's ratio to the best peer.
 */
public final class ResultTable {
    private final List<String> contenders;
    private final Map<String, Map<Metric, Map<String, List<Double>>>> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public ResultTable(List<String> contenders) {
        this.contenders = List.copyOf(contenders);
    }

    public void add(String workload, String contender, Figures f) {
        Map<Metric, Map<String, List<Double>>> rows = figures.computeIfAbsent(workload, w -> new LinkedHashMap<>());
        f.values().forEach((metric, value) -> rows.computeIfAbsent(metric, m -> new LinkedHashMap<>())
                .computeIfAbsent(contender, c -> new ArrayList<>()).add(value));
        if (f.note() != null) {
            notes.add(workload + ", " + contender + ": " + f.note());
        }
    }

    /** The Markdown table; the first contender is Rota, the others its peers. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("| workload | metric | ").append(String.join(" | ", contenders)).append(" | ratio ")
                .append(contenders.get(0)).append("/best peer |\n");
        out.append("|---|---|").append("---:|".repeat(contenders.size())).append("---:|\n");
        figures.forEach((workload, rows) -> rows.forEach((metric, byContender) -> {
            out.append("| ").append(workload).append(" | ").append(metric.name()).append(" | ");
            List<Double> peers = new ArrayList<>();
            OptionalDouble rota = OptionalDouble.empty();
            for (int i = 0; i < contenders.size(); i++) {
                OptionalDouble m = Stats.median(byContender.getOrDefault(contenders.get(i), List.of()));
                out.append(m.isPresent() ? format(m.getAsDouble()) : "n/a").append(" | ");
                if (i == 0) {
                    rota = m;
                } else if (m.isPresent()) {
                    peers.add(m.getAsDouble());
                }
            }
            OptionalDouble ratio = metric.kind() == Metric.Kind.COUNT || rota.isEmpty() ? OptionalDouble.empty()
                    : Stats.ratioToBest(rota.getAsDouble(), peers, metric.kind() == Metric.Kind.HIGHER_IS_BETTER);
            out.append(ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "-").append(" |\n");
        }));
        notes.forEach(n -> out.append("\n- ").append(n));
        if (!notes.isEmpty()) {
            out.append('\n');
        }
        return out.toString();
    }

    static String format(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
