package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.chaos.ChaosCluster.Lease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5: the ZooKeeper server the leader is connected to is killed (the ensemble keeps its
 * quorum), then restarted. Clients move to the other servers within their session; a leadership change
 * may happen (Curator gives up leadership on SUSPENDED), but nothing may be lost or doubled.
 */
@Tag("chaos-full")
class ZooKeeperServerLossChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void losingOneOfThreeZooKeeperServersLosesNoFire() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("zk-server-loss").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));

        int server = cluster.zooKeeperServerOf(cluster.leader()).orElse(0);
        cluster.killZooKeeperServer(server);
        cluster.awaitRunsFinishedAfter(Instant.now(), 6, Duration.ofSeconds(30));
        cluster.recordTakeoverIfAny(first.epoch());
        cluster.restartZooKeeperServer(server);
        cluster.awaitRunsFinishedAfter(Instant.now(), 4, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("killedServer", "zk" + (server + 1));
        report.publish().assertInvariants();
        assertThat(report.figure("leadershipChanges")).as("leadership changes for one lost server").isLessThanOrEqualTo(1);
        assertThat(report.recoveries()).allSatisfy(r -> assertThat(r.takeoverMs())
                .isBetween(0L, cluster.sessionTimeout().plusSeconds(2).toMillis()));
    }
}
