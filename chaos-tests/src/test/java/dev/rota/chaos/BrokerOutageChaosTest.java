package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 9: RabbitMQ is stopped ({@code rabbitmqctl stop_app}) for a few seconds under load and then
 * started. Fires and tasks keep being recorded in PostgreSQL meanwhile; the outbox publishes them once
 * the broker is back. Nothing may be lost, nothing run twice as a success. The scenario runs on a
 * RabbitMQ node of its own, so the outage disturbs no one else; it is restarted in a {@code finally}
 * whatever happens.
 */
@Tag("chaos")
class BrokerOutageChaosTest {
    static final String WORK = "{\"sleepMs\": 200}";

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void tasksRecordedDuringABrokerOutageArePublishedAfterIt() {
        assumeTrue(PrivateRabbitNode.available(), "needs rabbitmq-server and rabbitmqctl on the PATH");
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("broker-outage").masters(2).workers(2).privateBroker());
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        cluster.awaitDispatches(1, 6, Duration.ofSeconds(30));
        List<Long> tasks = new ArrayList<>(cluster.workload().burst(20, RecordHandlerProvider.TASK_TYPE, WORK));

        Instant back;
        long pendingDuringOutage;
        try {
            cluster.stopBroker();
            tasks.addAll(cluster.workload().burst(20, RecordHandlerProvider.TASK_TYPE, WORK));
            pendingDuringOutage = await("fires piling up unpublished").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE job_id IS NOT NULL"
                            + " AND state = 'QUEUED' AND NOT published"), n -> n >= 8);
        } finally {
            cluster.startBroker();
            back = Instant.now();
        }
        cluster.awaitRunsFinishedAfter(back, 6, Duration.ofSeconds(60));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(60));
        Instant outageStart = cluster.timeline().faults().get(0).at();
        report.put("unpublishedFiresDuringOutage", pendingDuringOutage);
        report.put("outageMs", Duration.between(outageStart, back).toMillis());
        report.put("firstCompletionAfterBrokerBackMs", cluster.db().queryLong(
                "SELECT (extract(epoch FROM min(finished_at)) * 1000)::bigint - ? FROM run WHERE finished_at > ?",
                back.toEpochMilli(), back));
        // At-least-once after a fault: an attempt dispatched before the broker was back and not finished before
        // it went down was in the broker's or a worker's hands across the outage. Its delivery was never
        // acked (the restarted broker delivers it again), or its publish confirm was lost (the outbox sends it
        // again): it may run twice. Only those runs may; any other re-execution still fails.
        List<Long> inHandAtOutage = cluster.db().query("SELECT DISTINCT run_id FROM run_attempt WHERE dispatched_at <= ?"
                + " AND (finished_at IS NULL OR finished_at >= ?)", rs -> rs.getLong(1), back, outageStart);
        report.put("runsInHandAtOutage", inHandAtOutage.size());
        report.publish().assertInvariants(ChaosReport.Allowances.NONE.runningAgain(inHandAtOutage));
        assertThat(cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                (Object) tasks.toArray(new Long[0]))).as("one-off tasks succeeded").isEqualTo(tasks.size());
        assertThat(report.figure("runsWithSeveralSuccesses")).isZero();
    }
}
