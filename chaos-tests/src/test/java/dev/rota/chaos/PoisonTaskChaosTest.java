package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 11: a poison task halts the JVM of every worker that runs it. The harness restarts dead
 * workers, as a supervisor would. The quorum queue's delivery limit (5 by default) must dead-letter the
 * message, the leader must then mark the run DEAD and park the message, and every other task and fire
 * must succeed.
 */
@Tag("chaos")
class PoisonTaskChaosTest {
    static final int DELIVERY_LIMIT = 5;
    static final String WORK = "{\"sleepMs\": 100}";

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void poisonTaskIsDeadLetteredAfterTheDeliveryLimitAndOtherTasksSucceed() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("poison-task").masters(1).workers(2).workerCapacity(2)
                .workerTaskTypes(RecordHandlerProvider.TASK_TYPE, CrashHandlerProvider.TASK_TYPE));
        cluster.superviseWorkers();
        cluster.workload().everySecond("tick");
        cluster.awaitDispatches(1, 3, Duration.ofSeconds(30));
        List<Long> before = cluster.workload().burst(10, RecordHandlerProvider.TASK_TYPE, WORK);
        long poison = cluster.workload().burst(1, CrashHandlerProvider.TASK_TYPE, "{}").get(0);
        Instant injected = Instant.now();
        cluster.timeline().note("poison task " + poison + " submitted");

        await("poison run " + poison + " final").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                .until(() -> dev.rota.model.RunState.valueOf(cluster.db().query("SELECT state FROM run WHERE id = ?",
                        rs -> rs.getString(1), poison).get(0)).isFinal());
        Instant finalAt = Instant.now();
        String crashQueue = cluster.topology().taskQueue(CrashHandlerProvider.TASK_TYPE);
        await("no poison message left in " + crashQueue).atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250)).until(() -> cluster.broker().queueDepth(crashQueue) == 0);
        List<Long> after = cluster.workload().burst(10, RecordHandlerProvider.TASK_TYPE, WORK);
        cluster.awaitRunsFinishedAfter(cluster.db().now(), 3, Duration.ofSeconds(60));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(60));
        long crashes = cluster.workers().stream().mapToLong(w -> w.logLines("CRASH run " + poison + ":").size()).sum();
        List<String> poisonRun = cluster.db().query("SELECT state, attempt, error FROM run WHERE id = ?",
                rs -> rs.getString(1) + " attempt " + rs.getInt(2) + ": " + rs.getString(3), poison);
        long parked = cluster.broker().messageCount(cluster.topology().parkedQueue());
        report.put("poisonRun", poisonRun.get(0));
        report.put("poisonFinalAfterMs", Duration.between(injected, finalAt).toMillis());
        report.put("workerCrashes", crashes);
        report.put("workerRestarts", cluster.workers().stream().mapToLong(w -> w.starts() - 1).sum());
        report.put("parkedMessages", parked);
        report.put("deliveryLimitDeadLetters", cluster.masters().stream()
                .mapToLong(m -> m.logLines("EVENT MESSAGE_PARKED delivery_limit").size()).sum());
        // A worker halted by the poison may have completed other handlers it had not acknowledged yet:
        // those runs are delivered again (a new attempt, or the same one to another worker) and may run
        // twice, at least once being the contract. A run never redelivered must still run once.
        List<Long> redelivered = cluster.db().query("SELECT id FROM run WHERE attempt > 1 OR deliveries > 1",
                rs -> rs.getLong(1));
        report.put("runsRedelivered", (long) redelivered.size());
        report.publish().assertInvariants(ChaosReport.Allowances.NONE.endingBadly(List.of(poison))
                .runningAgain(redelivered));
        assertThat(poisonRun.get(0)).as("the poison run").startsWith("DEAD");
        assertThat(crashes).as("worker crashes before the poison was stopped").isGreaterThanOrEqualTo(DELIVERY_LIMIT);
        assertThat(parked).as("dead-lettered messages parked for operators").isGreaterThanOrEqualTo(1);
        assertThat(cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                (Object) before.toArray(new Long[0]))).as("tasks submitted with the poison").isEqualTo(before.size());
        assertThat(cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                (Object) after.toArray(new Long[0]))).as("tasks submitted after it").isEqualTo(after.size());
        assertThat(cluster.db().queryLong("SELECT count(*) FROM run WHERE job_id IS NOT NULL AND state <> 'SUCCEEDED'"
                + " AND scheduled_at <= ?", cluster.db().now().minusSeconds(1))).as("fires that did not succeed").isZero();
    }
}
