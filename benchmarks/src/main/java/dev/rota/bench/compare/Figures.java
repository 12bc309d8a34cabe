package dev.rota.bench.compare;

import java.util.LinkedHashMap;
import java.util.Map;

/** The figures of one contender in one run of one workload, by metric, in the order they were added. */
public final class Figures {
    private final Map<Metric, Double> values = new LinkedHashMap<>();
    private String note;

    public Figures put(Metric metric, double value) {
        values.put(metric, value);
        return this;
    }

    public Map<Metric, Double> values() {
        return values;
    }

    /** Why a contender has no figures (n/a), or what to know about them. */
    public Figures note(String note) {
        this.note = note;
        return this;
    }

    public String note() {
        return note;
    }
}
