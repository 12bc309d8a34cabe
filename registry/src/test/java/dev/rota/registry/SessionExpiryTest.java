package dev.rota.registry;

import static dev.rota.registry.TestCluster.master;
import static dev.rota.registry.TestCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import java.time.Duration;




import org.junit.jupiter.api.Test;

class SessionExpiryTest extends ZooKeeperTest {
    @Test
    void anExpiredLeaderLosesLeadership_andRejoinsTheElection() throws Exception {
        LeadershipEvents firstEvents = new LeadershipEvents();
        LeadershipEvents secondEvents = new LeadershipEvents();
        Registry firstRegistry = cluster.startRegistry();
        MasterMembership first = firstRegistry.joinAsMaster(master("m1"), firstEvents);
        firstEvents.expectIsLeader();
        MasterMembership second = cluster.startRegistry().joinAsMaster(master("m2"), secondEvents);

        TestCluster.expireSession(firstRegistry);

        firstEvents.expectNotLeader();
        assertThat(first.isLeader()).isFalse();
        secondEvents.expectIsLeader();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> TestCluster.ownedByCurrentSession(firstRegistry, "/masters/m1"));
        assertThat(firstRegistry.status().masters()).extracting(MasterInfo::id).containsExactly("m1", "m2");

        second.close();

        firstEvents.expectIsLeader();
        assertThat(first.isLeader()).isTrue();
        assertThat(firstEvents.overlapped()).isFalse();
    }

    @Test
    void anExpiredWorkerIsSeenToLeaveAndComeBack() throws Exception {
        Registry workerRegistry = cluster.startRegistry();
        workerRegistry.registerWorker(worker("w1"));
        WorkerEvents events = new WorkerEvents();
        Registry observer = cluster.startRegistry();
        observer.watchWorkers(events);
        events.expect("joined:w1");

        TestCluster.expireSession(workerRegistry);

        events.expect("left:w1");
        events.expect("joined:w1");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> TestCluster.ownedByCurrentSession(workerRegistry, "/workers/w1"));
        assertThat(observer.status().workers()).containsExactly(worker("w1"));
    }
}
