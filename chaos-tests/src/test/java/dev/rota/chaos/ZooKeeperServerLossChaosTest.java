package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosCluster.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

        ChaosNode leader = cluster.leader();
        int server = await("the leader's ZooKeeper server").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> cluster.zooKeeperServerOf(leader), Optional::isPresent)
                .orElseThrow();
        cluster.killZooKeeperServer(server);
        cluster.awaitRunsFinishedAfter(Instant.now(), 6, Duration.ofSeconds(30));
        cluster.recordTakeoverIfAny(first.epoch());
        cluster.restartZooKeeperServer(server);
        cluster.awaitRunsFinishedAfter(Instant.now(), 4, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("killedServer", "zk" + (server + 1));
        report.publish().assertInvariants();
        assertThat(report.figure("leadershipChanges")).as("leadership changes for one lost server").isLessThanOrEqualTo(1);
        long bound = cluster.sessionTimeout().plusSeconds(2).toMillis();
        // The killed server is the leader's, so the fault is a leader fault and has exactly one recovery:
        // either a takeover, or the same leader dispatching again, each within the bound.
        assertThat(report.recoveries()).as("recoveries from losing the leader's ZooKeeper server").singleElement()
                .satisfies(r -> {
                    if (r.newEpoch() < 0) {
                        assertThat(r.firstDispatchMs()).as("next dispatch by the same leader").isBetween(0L, bound);
                    } else {
                        assertThat(r.takeoverMs()).as("takeover").isBetween(0L, bound);
                        assertThat(r.firstDispatchMs()).as("first dispatch of the new term").isBetween(0L, bound + 2_000);
                    }
                });
    }
}
