package dev.rota.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.chaos.ChaosCluster.Lease;
import dev.rota.chaos.ChaosNode.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 3b, the worst moment of scenario 3: the leader is frozen while one of its fenced
 * transactions is open, i.e. while it holds its shared lock on the {@code leader_lease} row. The
 * harness freezes it for a few milliseconds at a time (far below the session timeout) until a frozen
 * leader is seen holding that lock, then leaves it frozen. A standby must still lead within the session
 * timeout plus two seconds: the new term's lease update must not wait for the frozen process.
 */
@Tag("chaos-full")
class LeaderPausedInTransactionChaosTest {
    static final int MAX_PROBES = 500;

    @RegisterExtension
    final ChaosExtension chaos = new ChaosExtension();

    @Test
    void standbyLeadsAlthoughTheFrozenLeaderHoldsTheLeaseLock() {
        ChaosCluster cluster = chaos.start(ChaosCluster.builder("leader-sigstop-in-tx").masters(2).workers(2));
        cluster.workload().everySecond("tick-a");
        cluster.workload().everySecond("tick-b");
        cluster.workload().burst(40, RecordHandlerProvider.TASK_TYPE, "{}");
        Lease first = cluster.lease();
        cluster.awaitDispatches(first.epoch(), 6, Duration.ofSeconds(30));
        ChaosNode leader = cluster.leader();

        int probes = 0;
        boolean caught = false;
        while (!caught && probes < MAX_PROBES) {
            probes++;
            leader.signal(Signal.STOP);
            caught = holdsLeaseLock(cluster, leader);
            if (!caught) {
                leader.signal(Signal.CONT);
                cluster.workload().burst(2, RecordHandlerProvider.TASK_TYPE, "{}");
            }
        }
        assertThat(caught).as("leader frozen inside a fenced transaction within %d probes", MAX_PROBES).isTrue();
        cluster.timeline().fault("SIGSTOP holding the lease lock (probe " + probes + ")", leader.name(), first.epoch());

        Lease second = cluster.awaitTakeover(first.epoch(), cluster.sessionTimeout().plusSeconds(15));
        cluster.signal(leader, Signal.CONT);
        cluster.awaitRunsFinishedAfter(second.acquiredAt(), 4, Duration.ofSeconds(30));
        ChaosReport report = cluster.check(cluster.db().now().minusSeconds(1), Duration.ofSeconds(30));
        report.put("probes", probes);
        report.publish().assertInvariants();
        assertThat(report.recoveries()).singleElement().satisfies(r -> assertThat(r.takeoverMs())
                .as("takeover while the frozen leader holds the lease lock, bound: session timeout + 2 s")
                .isBetween(0L, cluster.sessionTimeout().plusSeconds(2).toMillis()));
    }

    private static boolean holdsLeaseLock(ChaosCluster cluster, ChaosNode node) {
        return cluster.db().queryLong("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE a.application_name = ? AND l.relation = to_regclass(? || '.leader_lease') AND l.granted",
                cluster.applicationName(node.name()), "\"" + cluster.namespace() + "\"") > 0;
    }
}
