package dev.rota.bench.compare;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/** Percentiles, medians and the ratio the comparison table prints. Pure functions, no I/O. */
public final class Stats {
    private Stats() {
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} of the values at or below it.
     *
     * @param p between 0 (exclusive) and 1 (inclusive)
     * @throws IllegalArgumentException when {@code values} is empty or {@code p} is out of range
     */
    public static long percentile(long[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("percentile of no values");
        }
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in (0, 1], was " + p);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[rank - 1];
    }

    /** The median of repeated figures (the mean of the middle two for an even count); empty for none. */
    public static OptionalDouble median(List<Double> values) {
        double[] sorted = values.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return OptionalDouble.empty();
        }
        int mid = sorted.length / 2;
        return OptionalDouble.of(sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
    }

    /**
     * Rota's figure divided by the best peer's: the lowest peer figure when lower is better (lateness,
     * recovery time), the highest when higher is better (throughput). Empty when no peer has a figure or
     * the best peer's figure is zero.
     */
    public static OptionalDouble ratioToBest(double rota, List<Double> peers, boolean higherIsBetter) {
        OptionalDouble best = peers.stream().filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue)
                .reduce(higherIsBetter ? Math::max : Math::min);
        if (best.isEmpty() || best.getAsDouble() == 0 || Double.isNaN(rota)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(rota / best.getAsDouble());
    }
}
