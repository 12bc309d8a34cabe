package dev.rota.registry;

import static dev.rota.registry.TestCluster.master;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.awaitility.Awaitility.await;

import dev.rota.testsupport.InProcessZooKeeper;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stops and restarts the ZooKeeper server under two masters; it has a server of its own. */
class ServerOutageTest {
    private InProcessZooKeeper zooKeeper;
    private TestCluster cluster;

    @BeforeEach
    void start() {
        zooKeeper = new InProcessZooKeeper();
        cluster = new TestCluster(zooKeeper.connectString());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        zooKeeper.close();
    }

    @Test
    void theLeaderGivesUpAsSoonAsTheServerGoes_andSomeoneLeadsAfterItReturns() throws Exception {
        LeadershipEvents firstEvents = new LeadershipEvents();
        LeadershipEvents secondEvents = new LeadershipEvents();
        Registry firstRegistry = cluster.startRegistry();
        MasterMembership first = firstRegistry.joinAsMaster(master("m1"), firstEvents);
        firstEvents.expectIsLeader();
        Registry secondRegistry = cluster.startRegistry();
        MasterMembership second = secondRegistry.joinAsMaster(master("m2"), secondEvents);

        zooKeeper.stop();

        assertThat(firstEvents.expectNotLeader(TestCluster.SESSION_TIMEOUT)).contains("connection");
        assertThat(first.isLeader()).isFalse();
        assertThat(second.isLeader()).isFalse();

        zooKeeper.restart();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                (first.isLeader() && firstEvents.lastWasIsLeader() && !second.isLeader())
                        || (second.isLeader() && secondEvents.lastWasIsLeader() && !first.isLeader()));
        String leader = first.isLeader() ? "m1" : "m2";
        await().untilAsserted(() -> assertThat(secondRegistry.status().leaderId()).contains(leader));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(secondRegistry.status().masters()).extracting(MasterInfo::id).containsExactly("m1", "m2"));
        assertThat(firstEvents.overlapped()).isFalse();
        assertThat(secondEvents.overlapped()).isFalse();
    }

    @Test
    void closingDuringAnOutageDoesNotWaitOutTheRetryPolicy() throws Exception {
        Registry registry = cluster.startRegistry();
        LeadershipEvents events = new LeadershipEvents();
        MasterMembership master = registry.joinAsMaster(master("m1"), events);
        registry.registerWorker(TestCluster.worker("w1"));
        registry.watchWorkers(new WorkerEvents());
        events.expectIsLeader();
        zooKeeper.stop();
        events.expectNotLeader();

        assertTimeout(Duration.ofSeconds(5), registry::close);

        assertThat(master.isLeader()).isFalse();
        events.expectNothingWithin(Duration.ofMillis(200));
    }
}
