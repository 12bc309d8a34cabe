package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 8: a worker running tasks is frozen (SIGSTOP) past its ZooKeeper session: the leader gives
 * its runs to other workers as new attempts. Thawed, the old worker finishes and reports too: those
 * results are stale, and each run must still have exactly one success.
 */
@Tag("chaos-full")
class WorkerPauseChaosTest {
    static final String SLOW = "{\"sleepMs\": 3000}";

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void runsOfAFrozenWorkerAreRedispatchedAndItsLateResultsAreStale() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("worker-sigstop").masters(1).workers(3)
                .workerCapacity(2));
        cluster.workload().everySecond("tick");
        cluster.awaitDispatches(1, 3, Duration.ofSeconds(30));
        List<Long> tasks = cluster.workload().burst(8, RecordHandlerProvider.TASK_TYPE, SLOW);
        Map<String, List<Long>> running = await("a worker running a task").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(cluster::runningByWorker,
                        m -> m.values().stream().anyMatch(ids -> ids.stream().anyMatch(tasks::contains)));
        String victimId = running.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(tasks::contains))
                .findFirst().orElseThrow().getKey();
        List<Long> victimRuns = running.get(victimId).stream().filter(tasks::contains).toList();
        ChaosNode victim = cluster.node(victimId);

        cluster.signal(victim, Signal.STOP);
        await("the frozen worker's runs redispatched and finished").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> cluster.db().queryLong(
                        "SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED' AND attempt > 1",
                        (Object) victimRuns.toArray(new Long[0])) == victimRuns.size());
        cluster.signal(victim, Signal.CONT);
        await("the thawed worker reports its stale results").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> cluster.db().queryLong(
                        "SELECT count(*) FROM run_event WHERE kind = 'STALE_RESULT' AND worker_id = ?", victimId) > 0);
        cluster.awaitRunsFinishedAfter(cluster.db().now(), 3, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("victim", victimId);
        report.put("victimRuns", victimRuns);
        report.put("lostAttempts", cluster.db().queryLong("SELECT count(*) FROM run_attempt WHERE outcome = 'LOST'"));
        // At-least-once: a run the frozen worker held may also complete there after it thaws. Only those
        // runs may run twice; any other re-execution still fails.
        List<Long> heldByVictim = cluster.db().query("SELECT run_id FROM run_attempt WHERE worker_id = ?"
                + " UNION SELECT run_id FROM chaos_execution WHERE worker_id = ?", rs -> rs.getLong(1), victimId, victimId);
        report.put("runsHeldByVictim", heldByVictim);
        report.publish().assertInvariants(ChaosReport.Allowances.NONE.runningAgain(heldByVictim));
        assertThat(cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                (Object) tasks.toArray(new Long[0]))).isEqualTo(tasks.size());
        assertThat(victim.isAlive()).isTrue();
    }
}
