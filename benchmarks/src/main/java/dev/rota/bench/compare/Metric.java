package dev.rota.bench.compare;

/**
 * A row of the table.
 *
 * @param name  what is printed, with its unit
 * @param kind  how the ratio to the best peer is taken, if at all
 */
public record Metric(String name, Kind kind) {

    public enum Kind {
        /** Throughput: the best peer is the highest. */
        HIGHER_IS_BETTER,
        /** Lateness, recovery time: the best peer is the lowest. */
        LOWER_IS_BETTER,
        /** Missing, doubled: must be 0; no ratio. */
        COUNT
    }

    public static final Metric THROUGHPUT = new Metric("throughput (tasks/s)", Kind.HIGHER_IS_BETTER);
    public static final Metric LATE_P50 = new Metric("lateness p50 (ms)", Kind.LOWER_IS_BETTER);
    public static final Metric LATE_P99 = new Metric("lateness p99 (ms)", Kind.LOWER_IS_BETTER);
    public static final Metric LATE_MAX = new Metric("lateness max (ms)", Kind.LOWER_IS_BETTER);
    public static final Metric MISSING = new Metric("missing", Kind.COUNT);
    public static final Metric TWICE = new Metric("executed twice", Kind.COUNT);
    public static final Metric MISSED = new Metric("missed fires", Kind.COUNT);
    public static final Metric DOUBLED = new Metric("doubled fires", Kind.COUNT);
    public static final Metric SUBMIT_RATE = new Metric("submit rate (tasks/s)", Kind.HIGHER_IS_BETTER);
    public static final Metric RAMP = new Metric("start to every job fired once (ms)", Kind.LOWER_IS_BETTER);
    public static final Metric RECOVERY = new Metric("kill to every job fired again (ms)", Kind.LOWER_IS_BETTER);
}
