package dev.rota.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;

/**
 * Runs the chosen workloads against each contender in turn (each on fresh schemas, one at a time) and
 * prints a table after every repetition and the table of medians at the end.
 */
public final class Comparison {
    private static final Duration BURST_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FAILOVER_OBSERVE = Duration.ofSeconds(60);
    private static final Map<String, String> HEADINGS = Map.of("rota", "Rota", "db-scheduler", "db-scheduler", "quartz", "Quartz");

    private final BenchOptions options;

    public Comparison(BenchOptions options) {
        this.options = options;
    }

    public void run() throws Exception {
        List<String> columns = List.of("Rota", "db-scheduler", "Quartz");
        ResultTable all = new ResultTable(columns);
        Path logDir = Files.createTempDirectory("rota-compare-");
        // Default tick (3 s): Rota's default 10 s ZooKeeper session timeout is granted as configured.
        try (TestingServer zk = new TestingServer(true)) {
            for (int r = 1; r <= options.repeat(); r++) {
                ResultTable one = new ResultTable(columns);
                for (String workload : options.workloads()) {
                    switch (workload) {
                        case "burst" -> {
                            run(one, all, "burst " + options.tasks() + ", one call each", new BurstWorkload(options.tasks(), BurstWorkload.Mode.EACH, BURST_TIMEOUT), zk);
                            run(one, all, "burst " + options.tasks() + ", bulk", new BurstWorkload(options.tasks(), BurstWorkload.Mode.BULK, BURST_TIMEOUT), zk);
                        }
                        case "steady" -> run(one, all, "steady cron " + options.cronJobs() + " jobs x " + options.steadySeconds() + " s",
                                new SteadyWorkload(options.cronJobs(), Duration.ofSeconds(options.steadySeconds())), zk);
                        case "failover" -> failover(one, all, zk, logDir);
                        default -> throw new IllegalStateException(workload);
                    }
                }
                System.out.printf("%n## Run %d of %d (%s)%n%n%s%n", r, options.repeat(), Instant.now(), one.render());
            }
        }
        if (options.repeat() > 1) {
            System.out.printf("%n## Medians of %d runs%n%n%s%n", options.repeat(), all.render());
        }
        System.out.println("child-process logs: " + logDir);
    }

    private void run(ResultTable one, ResultTable all, String workload, Workload measured, TestingServer zk) {
        for (String key : options.contenders()) {
            Executions executions = new Executions();
            Figures figures;
            log("%s: %s ...", workload, HEADINGS.get(key));
            Contender contender = null;
            try {
                contender = switch (key) {
                    case "rota" -> new RotaContender(executions, zk.getConnectString());
                    case "db-scheduler" -> new DbSchedulerContender(executions);
                    case "quartz" -> new QuartzContender(executions);
                    default -> throw new IllegalStateException(key);
                };
                figures = measured.run(contender, executions);
            } catch (Exception e) {
                figures = new Figures().note("failed: " + e);
            } finally {
                Cleanup.quietly(contender);
            }
            log("%s: %s done %s", workload, HEADINGS.get(key), figures.values());
            one.add(workload, HEADINGS.get(key), figures);
            all.add(workload, HEADINGS.get(key), figures);
        }
    }

    private void failover(ResultTable one, ResultTable all, TestingServer zk, Path logDir) {
        FailoverWorkload failover = new FailoverWorkload(options.failoverJobs(), FAILOVER_OBSERVE, logDir);
        String workload = "failover " + options.failoverJobs() + " jobs, kill -9";
        for (String key : options.contenders()) {
            log("%s: %s ...", workload, HEADINGS.get(key));
            Figures figures;
            try {
                figures = key.equals("rota") ? failover.runRota(zk.getConnectString(), new Executions())
                        : failover.runPeer(key, new Executions());
            } catch (Exception e) {
                figures = new Figures().note("failed: " + e);
            }
            log("%s: %s done %s", workload, HEADINGS.get(key), figures.values());
            one.add(workload, HEADINGS.get(key), figures);
            all.add(workload, HEADINGS.get(key), figures);
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf("%s  " + format + "%n", prepend(Instant.now(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
