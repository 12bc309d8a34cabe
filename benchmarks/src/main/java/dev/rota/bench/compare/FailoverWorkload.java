package dev.rota.bench.compare;

import dev.rota.db.RotaDatabase;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import dev.rota.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jobs} every-second jobs on two nodes in their own JVMs; once every job fires, the leading node
 * (Rota: the master that leads; peers: the first node) is killed with SIGKILL half-way through a second.
 * Figures: from the kill until every job has started a fire scheduled at or after the kill, and the
 * (job, second) fires missed or doubled from 5 s before the kill to the end of the observation.
 */
final class FailoverWorkload {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration AFTER_RECOVERY = Duration.ofSeconds(3);

    private final int jobs;
    private final Duration observe;
    private final Path logDir;

    FailoverWorkload(int jobs, Duration observe, Path logDir) {
        this.jobs = jobs;
        this.observe = observe;
        this.logDir = logDir;
    }

    Figures runRota(String zkConnect, Executions executions) throws Exception {
        String ns = TestServers.uniqueName("cmpfo");
        TestServers.Postgres pg = TestServers.postgres();
        Worker worker = null;
        try (RotaDatabase db = RotaContender.prepare(ns, jobs);
                ChildJvm m1 = master(zkConnect, ns, pg, "fo-master-1", executions);
                ChildJvm m2 = master(zkConnect, ns, pg, "fo-master-2", executions)) {
            if (!Waits.until(() -> m1.isLeader() || m2.isLeader(), START_TIMEOUT)) {
                return new Figures().note("no Rota master led within " + START_TIMEOUT);
            }
            worker = RotaContender.worker(zkConnect, ns, executions);
            worker.start();
            return killAndMeasure(m1.isLeader() ? m1 : m2, executions);
        } finally {
            Cleanup.quietly(worker);
            Cleanup.quietly(() -> TestServers.dropSchema(ns));
            Cleanup.quietly(() -> RabbitCleanup.deleteNamespace(ns, List.of(RotaContender.TASK_TYPE)));
        }
    }

    private ChildJvm master(String zkConnect, String ns, TestServers.Postgres pg, String id, Executions executions) throws Exception {
        return ChildJvm.launch(id, RotaMasterNode.class, List.of(zkConnect, ns, pg.url(), pg.user(),
                pg.password().isEmpty() ? "" : pg.password(), TestServers.amqpUri(), id), executions, logDir.resolve(ns + ".log"));
    }

    /** @param kind {@code db-scheduler} or {@code quartz} */
    Figures runPeer(String kind, Executions executions) throws Exception {
        String schema = TestServers.uniqueName("cmpfo");
        ScratchDataSource.createSchema(schema, kind.equals("quartz") ? QuartzContender.ddl() : DbSchedulerContender.DDL);
        Path log = logDir.resolve(schema + ".log");
        try (ChildJvm n1 = ChildJvm.launch(kind + "-1", PeerNode.class, List.of(kind, schema, Integer.toString(jobs), "fo-node-1"), executions, log)) {
            if (!Waits.until(n1::isReady, START_TIMEOUT)) {
                return new Figures().note(kind + " node 1 did not start within " + START_TIMEOUT + "; see " + log);
            }
            try (ChildJvm n2 = ChildJvm.launch(kind + "-2", PeerNode.class, List.of(kind, schema, Integer.toString(jobs), "fo-node-2"), executions, log)) {
                if (!Waits.until(n2::isReady, START_TIMEOUT)) {
                    return new Figures().note(kind + " node 2 did not start within " + START_TIMEOUT + "; see " + log);
                }
                return killAndMeasure(n1, executions);
            }
        } finally {
            Cleanup.quietly(() -> TestServers.dropSchema(schema));
        }
    }

    private Figures killAndMeasure(ChildJvm victim, Executions executions) throws Exception {
        long warm = System.currentTimeMillis() + 2_000;
        if (!Waits.until(() -> everyJobFiredSince(executions.snapshot(), warm) != null, START_TIMEOUT)) {
            return new Figures().note("not every job fired before the kill");
        }
        Waits.untilWallClock((System.currentTimeMillis() / 1000 + 1) * 1000 + 500);
        long killMs = System.currentTimeMillis();
        victim.killHard();
        Waits.until(() -> everyJobFiredSince(executions.snapshot(), killMs) != null, observe);
        Thread.sleep(AFTER_RECOVERY.toMillis());
        long endMs = System.currentTimeMillis();
        List<Execution> all = executions.snapshot();
        Long recoveredAt = everyJobFiredSince(all, killMs);
        long fromMs = (killMs / 1000 - 5) * 1000;
        long toMs = (endMs - AFTER_RECOVERY.toMillis()) / 1000 * 1000;
        Figures window = FireWindow.summarize(all, jobs, fromMs, toMs);
        Figures figures = new Figures();
        if (recoveredAt != null) {
            figures.put(Metric.RECOVERY, recoveredAt - killMs);
        } else {
            figures.note("not every job fired again within " + observe.toSeconds() + " s of the kill ("
                    + jobsFiredSince(all, killMs) + " of " + jobs + " did)");
        }
        figures.put(Metric.MISSED, window.values().get(Metric.MISSED)).put(Metric.DOUBLED, window.values().get(Metric.DOUBLED));
        return figures;
    }

    /** When the last job first started a fire scheduled at or after {@code sinceMs}; null if some job has not. */
    private Long everyJobFiredSince(List<Execution> executions, long sinceMs) {
        Map<String, Long> first = firstStartsSince(executions, sinceMs);
        return first.size() < jobs ? null : first.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private int jobsFiredSince(List<Execution> executions, long sinceMs) {
        return firstStartsSince(executions, sinceMs).size();
    }

    private static Map<String, Long> firstStartsSince(List<Execution> executions, long sinceMs) {
        Map<String, Long> first = new HashMap<>();
        for (Execution e : executions) {
            if (e.scheduledMs() >= sinceMs && e.task().startsWith("cron-")) {
                first.merge(e.task(), e.startedMs(), Math::min);
            }
        }
        return first;
    }
}
