package dev.rota.registry;

import static dev.rota.registry.TestCluster.master;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Registry#watchElection}: a master with no leader to watch is told of changes instead of polling. */
class ElectionWatchTest extends ZooKeeperTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aNewLeaderAndAStepDownAreAnnouncedAndNothingElseIsAfterClose() throws Exception {
        Registry watching = cluster.startRegistry();
        Semaphore changes = new Semaphore(0);
        AutoCloseable watch = watching.watchElection(changes::release);
        changes.drainPermits();

        LeadershipEvents events = new LeadershipEvents();
        MasterMembership m1 = cluster.startRegistry().joinAsMaster(master("m1"), events);
        events.expectIsLeader();
        assertThat(changes.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("m1 joined and leads").isTrue();

        changes.drainPermits();
        m1.stepDown();
        assertThat(events.expectNotLeader()).isEqualTo("stepped down");
        assertThat(changes.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("m1 stepped down").isTrue();
        events.expectIsLeader();

        watch.close();
        changes.drainPermits();
        m1.close();
        assertThat(events.expectNotLeader()).contains("closing");
        assertThat(changes.tryAcquire(300, TimeUnit.MILLISECONDS)).as("no call after close").isFalse();
    }
}
