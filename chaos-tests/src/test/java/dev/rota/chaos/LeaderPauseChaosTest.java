package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.chaos.ChaosCluster.Lease;
import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 3: the leader is frozen (SIGSTOP) past its session timeout, a standby takes over, and the
 * old leader is thawed (SIGCONT) with its Quartz triggers overdue and its term still open in memory.
 * Whatever it tries to write with its old epoch must be fenced off (it must try: the scenario asserts
 * that fenced writes were seen), and nothing may double.
 */
@Tag("chaos")
class LeaderPauseChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void pausedLeaderIsFencedAfterItResumes() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("leader-sigstop").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));

        ChaosNode paused = cluster.leader();
        cluster.signal(paused, Signal.STOP);
        Lease second = cluster.awaitTakeover(first.epoch(), cluster.sessionTimeout().plusSeconds(15));
        cluster.awaitRunsFinishedAfter(second.acquiredAt(), 6, Duration.ofSeconds(30));
        int fencedBeforeResume = paused.logLines("EVENT FENCED").size();
        cluster.signal(paused, Signal.CONT);
        Instant resumed = Instant.now();

        await("old leader " + paused.name() + " ends its term").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !paused.logLines("ended its term (epoch " + first.epoch() + ")").isEmpty());
        cluster.awaitRunsFinishedAfter(resumed, 6, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        long staleWrites = cluster.db().queryLong("SELECT count(*) FROM run_attempt WHERE epoch = ? AND dispatched_at > ?",
                first.epoch(), second.acquiredAt());
        long fencedWrites = paused.logLines("EVENT FENCED").size() - fencedBeforeResume;
        report.put("fencedWrites", fencedWrites);
        report.put("staleEpochWritesAfterTakeover", staleWrites);
        report.put("oldLeaderExitReason", paused.logLines("ended its term (epoch " + first.epoch() + ")").get(0)
                .replaceAll(".* - ", ""));
        report.put("leaderAfterResume", cluster.lease().leaderId());
        report.publish().assertInvariants();
        assertThat(staleWrites).as("writes with epoch %d after epoch %d began", first.epoch(), second.epoch()).isZero();
        // Thawed with its every-second triggers overdue, the old leader tries to dispatch before it notices
        // that its session is gone: the scenario is about those writes being fenced, so it must see some.
        assertThat(fencedWrites).as("writes of the thawed leader refused by the epoch fence").isPositive();
        assertThat(paused.isAlive()).as("the old leader survives as a standby").isTrue();
        assertThat(cluster.lease().epoch()).as("no leadership flapping after the resume").isEqualTo(second.epoch());
    }
}
