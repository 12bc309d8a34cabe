package dev.rota.chaos;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.chaos.ChaosCluster.Lease;
import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 12: every master and worker is killed at once and the cluster stays down for several cron
 * periods, then everything starts again. The first new leader owes the missed fires: all of them for a
 * FIRE_ALL job, one for FIRE_ONCE, none for SKIP; each job is judged on its own.
 */
@Tag("chaos-full")
class FullRestartChaosTest {
    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void missedFiresAreOwedByMisfirePolicyAfterAFullOutage() throws InterruptedException {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("full-restart").masters(2).workers(2));
        cluster.workload().everySecond("all");
        cluster.workload().cronJob("once", Workload.EVERY_SECOND, "FIRE_ONCE", RecordHandlerProvider.TASK_TYPE, "{}");
        cluster.workload().cronJob("skip", Workload.EVERY_SECOND, "SKIP", RecordHandlerProvider.TASK_TYPE, "{}");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 9, Duration.ofSeconds(30));

        for (ChaosNode n : cluster.nodes()) {
            cluster.signal(n, Signal.KILL);
        }
        for (ChaosNode n : cluster.nodes()) {
            n.awaitExit(10, TimeUnit.SECONDS);
        }
        Instant down = cluster.db().now();
        await("cluster down for 8 cron periods").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.db().now().isAfter(down.plusSeconds(8)));
        cluster.nodes().forEach(cluster::restart);
        Lease second = cluster.awaitTakeover(first.epoch(), Duration.ofSeconds(90));
        cluster.awaitWorkersRegistered(cluster.workers().stream().map(ChaosNode::name).toList(), Duration.ofSeconds(90));
        cluster.awaitRunsFinishedAfter(second.acquiredAt(), 6, Duration.ofSeconds(60));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(60));
        report.put("outageToTakeoverMs", Duration.between(down, second.acquiredAt()).toMillis());
        report.publish().assertInvariants();
        // The checker holds each policy to what it owes per handover (see FireJudge); here each job's own
        // figures: the outage spans at least 8 cron times, FIRE_ONCE fires one of them late, SKIP none.
        assertThat(report.perJob("missedByPolicy", "once")).as("FIRE_ONCE times not fired").isGreaterThanOrEqualTo(7);
        assertThat(report.perJob("fireOnceCatchUps", "once")).as("FIRE_ONCE catch-up fires").isEqualTo(1);
        assertThat(report.perJob("missedByPolicy", "skip")).as("SKIP times not fired").isGreaterThanOrEqualTo(8);
        assertThat(report.perJob("missedByPolicy", "skip")).as("SKIP misses one more time than FIRE_ONCE (its catch-up)")
                .isBetween(report.perJob("missedByPolicy", "once"), report.perJob("missedByPolicy", "once") + 2);
        assertThat(report.perJob("missedByPolicy", "all")).as("FIRE_ALL times not fired").isZero();
        assertThat(report.lostFires()).isZero();
    }
}
