package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosCluster.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 10: every PostgreSQL connection of the leader is terminated ({@code pg_terminate_backend}),
 * three times, under load. The leader's pool reconnects and its loops retry; it keeps leading, and no
 * fire is lost or doubled.
 */
@Tag("chaos-full")
class DatabaseConnectionKillChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void leaderSurvivesItsDatabaseConnectionsBeingTerminated() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("db-connection-kill").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        cluster.workload().burst(20, RecordHandlerProvider.TASK_TYPE, "{\"sleepMs\": 500}");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));

        List<Integer> terminated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            awaitConnections(cluster, cluster.leader());
            terminated.add(cluster.terminateDatabaseConnections(cluster.leader()));
            cluster.awaitRunsFinishedAfter(Instant.now(), 4, Duration.ofSeconds(30));
        }
        awaitConnections(cluster, cluster.node("w1"));
        terminated.add(cluster.terminateDatabaseConnections(cluster.node("w1")));
        cluster.awaitRunsFinishedAfter(Instant.now(), 4, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("connectionsTerminated", terminated);
        report.publish().assertInvariants();
        assertThat(terminated).as("connections terminated by each of the 3 leader rounds and the worker round")
                .hasSize(4).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(cluster.lease().epoch()).as("the leader keeps leading").isEqualTo(first.epoch());
    }

    /** Each round must hit live connections: the pool may not have reconnected yet after the last one. */
    private static void awaitConnections(ChaosCluster cluster, ChaosNode node) {
        await(node.name() + " connected to PostgreSQL again").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> cluster.db().queryLong(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                        cluster.applicationName(node.name())) > 0);
    }
}
