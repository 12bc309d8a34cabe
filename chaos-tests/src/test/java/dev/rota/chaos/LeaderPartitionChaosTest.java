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
 * Scenario 4: the leader is cut off from ZooKeeper (its proxies close every connection and refuse new
 * ones) while PostgreSQL and RabbitMQ stay reachable. It must stop dispatching as soon as it sees the
 * connection drop, a standby must lead once the old session expires, and after the link heals the old
 * leader rejoins as a standby: it registers again, does not take leadership back, and leads when the
 * new leader hands over (a failover request).
 */
@Tag("chaos-full")
class LeaderPartitionChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void leaderCutFromZooKeeperStopsAndAStandbyTakesOver() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("leader-zk-partition").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));

        ChaosNode cut = cluster.leader();
        Instant cutAt = Instant.now();
        cluster.cutFromZooKeeper(cut);
        await("cut-off leader ends its term").atMost(cluster.sessionTimeout().plusSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !cut.logLines("ended its term (epoch " + first.epoch() + ")").isEmpty());
        Instant stoppedAt = Instant.now();
        Lease second = cluster.awaitTakeover(first.epoch(), cluster.sessionTimeout().plusSeconds(15));
        cluster.awaitRunsFinishedAfter(second.acquiredAt(), 4, Duration.ofSeconds(30));
        cluster.healZooKeeper(cut);
        await(cut.name() + " registered again as a master").atMost(cluster.sessionTimeout().plusSeconds(20))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> cluster.status().masters().stream()
                        .anyMatch(m -> m.id().equals(cut.name())));
        cluster.awaitRunsFinishedAfter(Instant.now(), 4, Duration.ofSeconds(30));
        long epochAfterHeal = cluster.lease().epoch();
        // A standby is one that leads when asked: hand leadership over and see the healed master take it.
        cluster.requestFailover();
        Lease third = cluster.awaitTakeover(second.epoch(), Duration.ofSeconds(15));
        cluster.awaitRunsFinishedAfter(third.acquiredAt(), 4, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        long staleWrites = cluster.db().queryLong("SELECT count(*) FROM run_attempt WHERE epoch = ? AND dispatched_at > ?",
                first.epoch(), second.acquiredAt());
        report.put("oldLeaderStoppedWithinMs", Duration.between(cutAt, stoppedAt).toMillis());
        report.put("staleEpochWritesAfterTakeover", staleWrites);
        report.put("leaderAfterFailover", third.leaderId());
        report.publish().assertInvariants();
        assertThat(second.leaderId()).isNotEqualTo(cut.name());
        assertThat(staleWrites).isZero();
        assertThat(report.recoveries()).hasSize(2).first().satisfies(r -> assertThat(r.takeoverMs())
                .isBetween(0L, cluster.sessionTimeout().plusSeconds(2).toMillis()));
        assertThat(epochAfterHeal).as("the healed master does not take leadership back").isEqualTo(second.epoch());
        assertThat(third.leaderId()).as("the healed master leads when the leader hands over: it rejoined as a standby")
                .isEqualTo(cut.name());
        assertThat(cut.isAlive()).isTrue();
        assertThat(cut.starts()).as("%s rejoined without a restart", cut.name()).isEqualTo(1);
    }
}
