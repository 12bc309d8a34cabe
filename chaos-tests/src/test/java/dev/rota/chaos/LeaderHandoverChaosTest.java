package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.chaos.ChaosCluster.Lease;
import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 2: planned handovers. A failover request ({@code rota cluster failover}, here
 * {@code Registry.requestFailover()}) moves leadership to the standby; then SIGTERM of the new leader
 * (a rolling restart) moves it back. Each handover must take at most two seconds and lose nothing.
 */
@Tag("chaos")
class LeaderHandoverChaosTest {
    static final Duration HANDOVER_BOUND = Duration.ofSeconds(2);

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void failoverRequestAndSigtermHandOverWithinTwoSecondsWithoutLosingFires() throws InterruptedException {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("leader-handover").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));

        String askedToStepDown = cluster.requestFailover();
        Lease second = cluster.awaitTakeover(first.epoch(), Duration.ofSeconds(15));
        cluster.awaitRunsFinishedAfter(second.acquiredAt(), 6, Duration.ofSeconds(30));

        ChaosNode terminated = cluster.node(second.leaderId());
        cluster.signal(terminated, Signal.TERM);
        Lease third = cluster.awaitTakeover(second.epoch(), Duration.ofSeconds(15));
        cluster.awaitRunsFinishedAfter(third.acquiredAt(), 6, Duration.ofSeconds(30));

        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        boolean exited = terminated.awaitExit(15, TimeUnit.SECONDS);
        report.put("sigtermExitCode", exited ? terminated.exitCode() : null);
        report.put("oldLeaderAlive", cluster.node(first.leaderId()).isAlive());
        report.publish().assertInvariants();
        assertThat(exited).as("%s exits after SIGTERM", terminated.name()).isTrue();
        // The shutdown hook closes the master and returns; the JVM then exits with 128 + SIGTERM (15).
        assertThat(terminated.exitCode()).as("exit code of %s after SIGTERM: a clean shutdown, not a halt or a crash",
                terminated.name()).isEqualTo(143);
        assertThat(terminated.logLines("ended its term (epoch " + second.epoch() + ")"))
                .as("%s ended its term before exiting", terminated.name()).isNotEmpty();
        assertThat(cluster.node(first.leaderId()).logLines("ended its term (epoch " + first.epoch() + ")"))
                .as("%s ended its term on the failover request", first.leaderId()).isNotEmpty();
        assertThat(cluster.node(first.leaderId()).starts()).as("%s handed over without restarting", first.leaderId())
                .isEqualTo(1);
        assertThat(askedToStepDown).isEqualTo(first.leaderId());
        assertThat(second.leaderId()).isNotEqualTo(first.leaderId());
        assertThat(third.leaderId()).isEqualTo(first.leaderId());
        assertThat(report.recoveries()).hasSize(2).allSatisfy(r -> assertThat(r.takeoverMs())
                .as("handover after %s, bound %s", r.fault(), HANDOVER_BOUND).isBetween(0L, HANDOVER_BOUND.toMillis()));
    }
}
