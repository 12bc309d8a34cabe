package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 7: a worker is SIGKILLed while it runs tasks. RabbitMQ redelivers its unacknowledged tasks
 * to the other workers; every task must end SUCCEEDED exactly once, on another worker.
 */
@Tag("chaos")
class WorkerKillChaosTest {
    static final int TASKS = 12;
    static final String SLOW = "{\"sleepMs\": 3000}";

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void tasksOfAKilledWorkerFinishOnceOnAnotherWorker() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("worker-sigkill").masters(1).workers(3)
                .workerCapacity(2));
        cluster.workload().everySecond("tick");
        cluster.awaitDispatches(1, 3, Duration.ofSeconds(30));
        List<Long> tasks = cluster.workload().burst(TASKS, RecordHandlerProvider.TASK_TYPE, SLOW);

        Map<String, List<Long>> running = await("a worker running two tasks").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(cluster::runningByWorker,
                        m -> m.values().stream().anyMatch(ids -> ids.stream().filter(tasks::contains).count() >= 2));
        String victimId = running.entrySet().stream()
                .filter(e -> e.getValue().stream().filter(tasks::contains).count() >= 2).findFirst().orElseThrow().getKey();
        List<Long> victimRuns = running.get(victimId).stream().filter(tasks::contains).toList();
        ChaosNode victim = cluster.node(victimId);
        Instant killedAt = Instant.now();
        cluster.signal(victim, Signal.KILL);

        cluster.awaitRunsFinishedAfter(killedAt, 6, Duration.ofSeconds(60));
        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(60));
        List<String> finishedOn = cluster.db().query("SELECT worker_id FROM run WHERE id = ANY (?)",
                rs -> rs.getString(1), (Object) victimRuns.toArray(new Long[0]));
        long redeliveryMs = cluster.db().queryLong("SELECT (extract(epoch FROM max(first_start)) * 1000)::bigint"
                + " - ? FROM (SELECT min(started_at) AS first_start FROM chaos_execution"
                + " WHERE run_id = ANY (?) AND worker_id <> ? GROUP BY run_id) s",
                killedAt.toEpochMilli(), victimRuns.toArray(new Long[0]), victimId);
        report.put("victim", victimId);
        report.put("victimRuns", victimRuns);
        report.put("victimRunsFinishedOn", finishedOn);
        report.put("redeliveryMaxMs", redeliveryMs);
        report.publish().assertInvariants();
        assertThat(report.figure("runsExecutedMoreThanOnce")).as("tasks whose handler completed twice").isZero();
        assertThat(cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                (Object) tasks.toArray(new Long[0]))).isEqualTo(TASKS);
        assertThat(finishedOn).hasSize(victimRuns.size()).doesNotContain(victimId);
    }
}
