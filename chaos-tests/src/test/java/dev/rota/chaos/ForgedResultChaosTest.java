package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 15: a forged result. While a worker runs a slow task, a client of the broker that is not that
 * worker (the harness's own connection) publishes SUCCEEDED for the run's current attempt, naming the
 * real worker. It must change nothing: the run stays RUNNING until its handler finishes, and the one
 * success recorded is the worker's, after the handler completed.
 */
@Tag("chaos-full")
class ForgedResultChaosTest {
    static final String SLOW = "{\"sleepMs\": 8000}";

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void aSucceededFromAClientThatIsNotTheRunningWorkerChangesNothing() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("forged-result").masters(1).workers(2));
        cluster.workload().everySecond("tick");
        cluster.awaitDispatches(1, 3, Duration.ofSeconds(30));
        long victim = cluster.workload().burst(1, RecordHandlerProvider.TASK_TYPE, SLOW).get(0);
        record Holder(String worker, int attempt) {
        }
        Holder held = await("run " + victim + " RUNNING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.db().query("SELECT worker_id, attempt FROM run WHERE id = ? AND state = 'RUNNING'",
                        rs -> new Holder(rs.getString(1), rs.getInt(2)), victim), l -> !l.isEmpty()).get(0);

        ResultMessage forged = new ResultMessage(TaskMessage.CURRENT_VERSION, victim, held.attempt(), held.worker(),
                ResultStatus.SUCCEEDED, Instant.now(), null, null);
        cluster.timeline().fault("forged SUCCEEDED for run " + victim, "harness", -1);
        cluster.broker().publishToQueue(cluster.topology().resultsQueue(), new MessageCodec().encode(forged));
        // Results are applied in queue order: once a task submitted after the forgery has finished, the
        // leader has dealt with the forgery.
        long marker = cluster.workload().burst(1, RecordHandlerProvider.TASK_TYPE, "{}").get(0);
        await("marker run " + marker + " finished").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ? AND state = 'SUCCEEDED'",
                        marker) == 1);
        String afterForgery = cluster.db().query("SELECT state FROM run WHERE id = ?", rs -> rs.getString(1), victim).get(0);
        long executionsThen = cluster.db().queryLong("SELECT count(*) FROM chaos_execution WHERE run_id = ?", victim);

        await("run " + victim + " finished by its worker").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.db().queryLong("SELECT count(*) FROM chaos_execution WHERE run_id = ?", victim) > 0
                        && cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ? AND finished_at IS NOT NULL",
                        victim) == 1);
        cluster.awaitRunsFinishedAfter(cluster.db().now(), 3, Duration.ofSeconds(30));
        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("victim", victim + " on " + held.worker());
        report.put("stateAfterForgery", afterForgery);
        report.put("runEvents", cluster.db().query("SELECT kind || ' by ' || coalesce(worker_id, '?') FROM run_event"
                + " WHERE run_id = ?", rs -> rs.getString(1), victim));
        report.publish().assertInvariants();
        assertThat(executionsThen).as("the handler had not finished when the forgery was handled").isZero();
        assertThat(afterForgery).as("run %d after a forged SUCCEEDED", victim).isEqualTo("RUNNING");
        assertThat(cluster.db().query("SELECT state || ' on ' || worker_id FROM run WHERE id = ?", rs -> rs.getString(1),
                victim)).containsExactly("SUCCEEDED on " + held.worker());
        assertThat(report.offendingRuns("successWithoutCompletedHandler")).doesNotContain(victim);
    }
}
