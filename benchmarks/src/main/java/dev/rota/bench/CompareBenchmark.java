package dev.rota.bench;

import dev.rota.bench.compare.BenchOptions;
import dev.rota.bench.compare.Comparison;

/**
 * Runs workloads against Rota and, in the same run, against db-scheduler and Quartz (clustered JDBC job
 * store) on the same PostgreSQL, and prints one table with each figure and Rota's ratio to the best peer.
 * A program that prints figures, not a test: {@code benchmarks/run.sh Compare --help}.
 */
public final class CompareBenchmark {
    private CompareBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        new Comparison(options).run();
        System.exit(0);
    }
}
