package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.chaos.ChaosCluster.Lease;
import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scenario 1: the leader's JVM is SIGKILLed while two FIRE_ALL jobs fire every second. */
@Tag("chaos")
class LeaderKillChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void standbyTakesOverWithinSessionTimeoutAndNoFireIsLostOrDoubled() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("leader-sigkill").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        Lease before = cluster.lease();
        cluster.awaitDispatches(before.epoch(), 8, Duration.ofSeconds(30));

        cluster.signal(cluster.leader(), Signal.KILL);
        Lease after = cluster.awaitTakeover(before.epoch(), cluster.sessionTimeout().plusSeconds(15));
        cluster.awaitRunsFinishedAfter(after.acquiredAt(), 8, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30)).publish();
        report.assertInvariants();
        assertThat(report.recoveries()).singleElement().satisfies(r -> {
            assertThat(r.newLeader()).isNotEqualTo(before.leaderId());
            assertThat(r.takeoverMs()).as("takeover after SIGKILL, bound: session timeout + 2 s")
                    .isBetween(0L, cluster.sessionTimeout().plusSeconds(2).toMillis());
        });
    }
}
