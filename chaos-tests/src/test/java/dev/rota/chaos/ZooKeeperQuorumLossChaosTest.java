package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosCluster.Lease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 6: two of three ZooKeeper servers are killed, so the ensemble loses its quorum; every master
 * must stop leading. When the servers return, a leader must emerge and fire everything owed (FIRE_ALL)
 * for the outage: late, but none lost and none doubled.
 */
@Tag("chaos-full")
class ZooKeeperQuorumLossChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void quorumLossStopsDispatchingAndRecoveryFiresEverythingOwed() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("zk-quorum-loss").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));
        ChaosNode leader = cluster.leader();

        Instant lost = Instant.now();
        cluster.killZooKeeperServer(1);
        cluster.killZooKeeperServer(2);
        await("leader stops without quorum").atMost(cluster.sessionTimeout().plusSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !leader.logLines("ended its term (epoch " + first.epoch() + ")").isEmpty());
        Instant stopped = Instant.now();
        long firesRecordedBefore = cluster.db().queryLong("SELECT count(*) FROM run");
        await("fires owed while no one leads").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.db().now().isAfter(stopped.plusSeconds(5)));
        long firesRecordedDuring = cluster.db().queryLong("SELECT count(*) FROM run") - firesRecordedBefore;
        cluster.restartZooKeeperServer(1);
        cluster.restartZooKeeperServer(2);
        Instant restored = Instant.now();
        Lease second = cluster.awaitTakeover(first.epoch(), Duration.ofSeconds(60));
        cluster.awaitRunsFinishedAfter(second.acquiredAt(), 4, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("leaderStoppedAfterMs", Duration.between(lost, stopped).toMillis());
        report.put("firesRecordedWithoutQuorum", firesRecordedDuring);
        report.put("restoreToTakeoverMs", Duration.between(restored, second.acquiredAt()).toMillis());
        report.publish().assertInvariants();
        assertThat(firesRecordedDuring).as("fires recorded while the ensemble had no quorum").isZero();
    }
}
