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
 * Scenario 16: a stalled results consumer. An outside session (an operator's open transaction) locks
 * the row of a running run, so the result of that run cannot be applied. The leader must not let that
 * one result hold up the others: results of runs submitted meanwhile are applied within the bound, and
 * the held run finishes once the lock is released.
 */
@Tag("chaos-full")
class StalledResultsChaosTest {
    static final Duration BOUND = Duration.ofSeconds(20);

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void oneResultStuckBehindARowLockHoldsUpNoOtherResult() throws Exception {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("stalled-results").masters(1).workers(2));
        cluster.workload().everySecond("tick");
        cluster.awaitDispatches(1, 3, Duration.ofSeconds(30));
        long held = cluster.workload().burst(1, RecordHandlerProvider.TASK_TYPE, "{\"sleepMs\": 2000}").get(0);
        await("run " + held + " RUNNING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ? AND state = 'RUNNING'", held) == 1);

        List<Long> others;
        long othersDoneMs;
        boolean othersDone;
        try (AutoCloseable lock = cluster.db().holdLocks("SELECT id FROM run WHERE id = ? FOR UPDATE", held)) {
            cluster.timeline().fault("row of run " + held + " locked by an outside session", "harness", -1);
            await("the handler of run " + held + " completed").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.db().queryLong("SELECT count(*) FROM chaos_execution WHERE run_id = ?", held) == 1);
            others = cluster.workload().burst(6, RecordHandlerProvider.TASK_TYPE, "{}");
            Instant submitted = Instant.now();
            othersDone = awaitSucceeded(cluster, others, BOUND);
            othersDoneMs = Duration.between(submitted, Instant.now()).toMillis();
        }
        cluster.timeline().repair("lock released", "harness");
        await("run " + held + " finished after the lock was released").atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ? AND finished_at IS NOT NULL",
                        held) == 1);
        cluster.awaitRunsFinishedAfter(cluster.db().now(), 3, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("heldRun", held);
        report.put("othersFinishedWhileLockedMs", othersDone ? othersDoneMs : -1);
        report.publish().assertInvariants();
        assertThat(othersDone).as("results of %s applied within %s while run %d's row was locked", others, BOUND, held)
                .isTrue();
        assertThat(cluster.db().query("SELECT state FROM run WHERE id = ?", rs -> rs.getString(1), held))
                .containsExactly("SUCCEEDED");
    }

    private static boolean awaitSucceeded(ChaosCluster cluster, List<Long> runs, Duration bound) {
        try {
            await("runs " + runs + " SUCCEEDED").atMost(bound).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                            (Object) runs.toArray(new Long[0])) == runs.size());
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
