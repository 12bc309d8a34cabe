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
 * Scenario 14: poison results. Two honest runs report text PostgreSQL cannot store (a NUL character),
 * one in its error, one in its result, as a handler returning binary data does. Results processing must
 * go on for every other run, the poisoned runs must end (their text sanitised, or set aside with the
 * reason), and the results queue must drain: no message retried forever.
 */
@Tag("chaos-full")
class PoisonResultChaosTest {
    static final Duration BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void aResultPostgresCannotStoreStallsNoOtherResult() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("poison-result").masters(1).workers(2));
        cluster.workload().everySecond("tick");
        cluster.awaitDispatches(1, 3, Duration.ofSeconds(30));

        long failing = cluster.workload().burst(1, RecordHandlerProvider.TASK_TYPE, "{\"poison\": \"error\"}").get(0);
        long returning = cluster.workload().burst(1, RecordHandlerProvider.TASK_TYPE, "{\"poison\": \"result\"}").get(0);
        cluster.timeline().note("poison results: run " + failing + " (error), run " + returning + " (result)");
        List<Long> others = cluster.workload().burst(10, RecordHandlerProvider.TASK_TYPE, "{\"sleepMs\": 100}");
        Instant submitted = Instant.now();

        await("tasks submitted after the poison finish").atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE id = ANY (?) AND state = 'SUCCEEDED'",
                        (Object) others.toArray(new Long[0])) == others.size());
        long othersDoneMs = Duration.between(submitted, Instant.now()).toMillis();
        await("both poisoned runs end").atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.db().queryLong("SELECT count(*) FROM run WHERE id IN (?, ?) AND finished_at IS NOT NULL",
                        failing, returning) == 2);
        String results = cluster.topology().resultsQueue();
        await("results queue " + results + " drained").atMost(BOUND).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.broker().queueDepth(results) == 0);
        cluster.awaitRunsFinishedAfter(cluster.db().now(), 3, BOUND);

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), BOUND);
        List<String> poisoned = cluster.db().query("SELECT id || ' ' || state || ': ' || coalesce(error, result::text, '')"
                + " FROM run WHERE id IN (?, ?) ORDER BY id", rs -> rs.getString(1), failing, returning);
        report.put("poisonedRuns", poisoned);
        report.put("othersFinishedAfterMs", othersDoneMs);
        report.publish().assertInvariants(ChaosReport.Allowances.NONE.endingBadly(List.of(failing)));
        assertThat(cluster.db().query("SELECT state, error FROM run WHERE id = ?",
                rs -> rs.getString(1) + " " + rs.getString(2), failing).get(0))
                .as("the run that failed with a NUL in its error: FAILED, the readable part of the error kept")
                .startsWith("FAILED").contains("binary output").contains("from the handler");
        assertThat(cluster.db().query("SELECT state FROM run WHERE id = ?", rs -> rs.getString(1), returning).get(0))
                .as("the run that returned a NUL in its result").isEqualTo("SUCCEEDED");
    }
}
