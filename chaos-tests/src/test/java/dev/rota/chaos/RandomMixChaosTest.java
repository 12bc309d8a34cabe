package dev.rota.chaos;

import dev.rota.chaos.ChaosCluster.Lease;
import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 13: a seeded random sequence of faults against three masters and three workers, with fires
 * every second and bursts of tasks between faults. The seed is printed and stored in the report;
 * {@code -Dchaos.seed=N} replays a sequence. After each fault the cluster must have a leader again and
 * finish new work; at the end every invariant must hold.
 */
@Tag("chaos-full")
class RandomMixChaosTest {
    static final int FAULTS = 6;
    static final String WORK = "{\"sleepMs\": 500}";

    enum Fault { LEADER_KILL, LEADER_TERM, LEADER_PAUSE, FAILOVER, LEADER_ZK_CUT, WORKER_KILL, ZK_SERVER_KILL, DB_TERMINATE }

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void seededRandomFaultsKeepTheInvariants() throws InterruptedException {
        String configured = System.getProperty("chaos.seed", "");
        long seed = configured.isBlank() ? System.nanoTime() : Long.parseLong(configured);
        System.out.println("chaos random-mix seed = " + seed + " (replay with -Dchaos.seed=" + seed + ")");
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("random-mix").masters(3).workers(3).workerCapacity(2));
        cluster.timeline().note("seed " + seed);
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        cluster.awaitDispatches(1, 6, Duration.ofSeconds(30));
        Random random = new Random(seed);
        for (int i = 0; i < FAULTS; i++) {
            Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
            cluster.timeline().note("fault " + (i + 1) + " of " + FAULTS + ": " + fault);
            inject(cluster, fault, random);
            cluster.workload().burst(5, RecordHandlerProvider.TASK_TYPE, WORK);
            cluster.awaitLeader(Duration.ofSeconds(60));
            cluster.awaitRunsFinishedAfter(Instant.now(), 4, Duration.ofSeconds(60));
        }
        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(60));
        report.put("seed", seed);
        report.put("faults", cluster.timeline().entries().stream().filter(e -> e.what().startsWith("fault "))
                .map(FaultTimeline.Entry::what).toList());
        report.publish().assertInvariants();
    }

    private static void inject(ChaosCluster cluster, Fault fault, Random random) throws InterruptedException {
        Lease before = cluster.lease();
        ChaosNode leader = cluster.node(before.leaderId());
        Duration takeover = cluster.sessionTimeout().plusSeconds(20);
        switch (fault) {
            case LEADER_KILL -> {
                cluster.signal(leader, Signal.KILL);
                cluster.awaitTakeover(before.epoch(), takeover);
                leader.awaitExit(10, TimeUnit.SECONDS);
                cluster.restart(leader);
            }
            case LEADER_TERM -> {
                cluster.signal(leader, Signal.TERM);
                cluster.awaitTakeover(before.epoch(), takeover);
                leader.awaitExit(20, TimeUnit.SECONDS);
                cluster.restart(leader);
            }
            case LEADER_PAUSE -> {
                cluster.signal(leader, Signal.STOP);
                cluster.awaitTakeover(before.epoch(), takeover);
                cluster.signal(leader, Signal.CONT);
            }
            case FAILOVER -> {
                cluster.requestFailover();
                cluster.awaitTakeover(before.epoch(), takeover);
            }
            case LEADER_ZK_CUT -> {
                cluster.cutFromZooKeeper(leader);
                cluster.awaitTakeover(before.epoch(), takeover);
                cluster.healZooKeeper(leader);
            }
            case WORKER_KILL -> {
                List<ChaosNode> workers = cluster.workers();
                ChaosNode victim = workers.get(random.nextInt(workers.size()));
                cluster.signal(victim, Signal.KILL);
                victim.awaitExit(10, TimeUnit.SECONDS);
                cluster.restart(victim);
            }
            case ZK_SERVER_KILL -> {
                int server = random.nextInt(cluster.zooKeeper().size());
                cluster.killZooKeeperServer(server);
                cluster.awaitRunsFinishedAfter(Instant.now(), 3, Duration.ofSeconds(60));
                cluster.restartZooKeeperServer(server);
                cluster.recordTakeoverIfAny(before.epoch());
            }
            case DB_TERMINATE -> {
                cluster.terminateDatabaseConnections(leader);
                cluster.recordTakeoverIfAny(before.epoch());
            }
        }
    }
}
