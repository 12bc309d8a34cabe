package dev.rota.bench.compare;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The comparison's command line.
 *
 * @param workloads  which of {@code burst, steady, failover}, in that order
 * @param contenders which of {@code rota, db-scheduler, quartz}; Rota is always the first column
 * @param tasks      one-off tasks per burst
 * @param cronJobs   every-second jobs of the steady workload
 * @param steadySeconds length of the steady workload's measured window
 * @param failoverJobs every-second jobs of the failover workload
 * @param repeat     runs of each workload; the table shows medians
 */
public record BenchOptions(Set<String> workloads, List<String> contenders, int tasks, int cronJobs, int steadySeconds,
        int failoverJobs, int repeat, boolean help) {

    public static final String USAGE = """
            usage: benchmarks/run.sh Compare [--workloads burst,steady,failover] [--tasks 20000] [--repeat 1]
                                             [--cron-jobs 500 | --large] [--steady-seconds 30] [--failover-jobs 100]
                                             [--contenders rota,db-scheduler,quartz]
              --large   the steady workload with 5,000 jobs instead of 500""";
    private static final Set<String> WORKLOADS = Set.of("burst", "steady", "failover");
    private static final List<String> CONTENDERS = List.of("rota", "db-scheduler", "quartz");

    public static BenchOptions parse(String[] args) {
        Set<String> workloads = new LinkedHashSet<>(List.of("burst", "steady", "failover"));
        List<String> contenders = CONTENDERS;
        int tasks = 20_000;
        int cronJobs = 500;
        int steadySeconds = 30;
        int failoverJobs = 100;
        int repeat = 1;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--large" -> cronJobs = 5_000;
                case "--workloads" -> {
                    workloads = new LinkedHashSet<>(List.of(value(args, ++i, a).split(",")));
                    for (String w : workloads) {
                        if (!WORKLOADS.contains(w)) {
                            throw new IllegalArgumentException("unknown workload '" + w + "'; known: burst, steady, failover");
                        }
                    }
                }
                case "--contenders" -> {
                    contenders = List.of(value(args, ++i, a).split(","));
                    for (String c : contenders) {
                        if (!CONTENDERS.contains(c)) {
                            throw new IllegalArgumentException("unknown contender '" + c + "'; known: " + CONTENDERS);
                        }
                    }
                }
                case "--tasks" -> tasks = positive(a, value(args, ++i, a), 1_000_000);
                case "--cron-jobs" -> cronJobs = positive(a, value(args, ++i, a), 20_000);
                case "--steady-seconds" -> steadySeconds = positive(a, value(args, ++i, a), 600);
                case "--failover-jobs" -> failoverJobs = positive(a, value(args, ++i, a), 5_000);
                case "--repeat" -> repeat = positive(a, value(args, ++i, a), 20);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new BenchOptions(workloads, contenders, tasks, cronJobs, steadySeconds, failoverJobs, repeat, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value, int max) {
        int v;
        try {
            v = Integer.parseInt(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, was '" + value + "'");
        }
        if (v < 1 || v > max) {
            throw new IllegalArgumentException(option + " must be 1 to " + max + ", was " + v);
        }
        return v;
    }
}
