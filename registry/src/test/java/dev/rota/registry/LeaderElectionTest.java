package dev.rota.registry;

import static dev.rota.registry.TestCluster.master;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import java.time.Duration;




import org.junit.jupiter.api.Test;

class LeaderElectionTest extends ZooKeeperTest {
    @Test
    void exactlyOneOfTwoMastersLeads_andClosingTheLeaderHandsOver() throws Exception {
        LeadershipEvents firstEvents = new LeadershipEvents();
        LeadershipEvents secondEvents = new LeadershipEvents();
        MasterMembership first = cluster.startRegistry().joinAsMaster(master("m1"), firstEvents);
        firstEvents.expectIsLeader();
        Registry secondRegistry = cluster.startRegistry();
        MasterMembership second = secondRegistry.joinAsMaster(master("m2"), secondEvents);

        assertThat(first.isLeader()).isTrue();
        assertThat(second.isLeader()).isFalse();
        secondEvents.expectNothingWithin(Duration.ofMillis(300));
        ClusterStatus status = secondRegistry.status();
        assertThat(status.leaderId()).contains("m1");
        assertThat(status.masters()).containsExactly(master("m1"), master("m2"));

        first.close();

        assertThat(firstEvents.expectNotLeader()).contains("closing");
        secondEvents.expectIsLeader();
        assertThat(second.isLeader()).isTrue();
        await().untilAsserted(() -> assertThat(secondRegistry.status().masters()).containsExactly(master("m2")));
        assertThat(secondRegistry.status().leaderId()).contains("m2");
    }

    @Test
    void stepDownHandsLeadershipToTheOtherMaster_repeatedly() throws Exception {
        LeadershipEvents firstEvents = new LeadershipEvents();
        LeadershipEvents secondEvents = new LeadershipEvents();
        MasterMembership first = cluster.startRegistry().joinAsMaster(master("m1"), firstEvents);
        firstEvents.expectIsLeader();
        MasterMembership second = cluster.startRegistry().joinAsMaster(master("m2"), secondEvents);

        for (int round = 0; round < 3; round++) {
            first.stepDown();
            assertThat(firstEvents.poll()).as("notLeader heard before stepDown returns").startsWith("notLeader: stepped down");
            assertThat(first.isLeader()).isFalse();
            secondEvents.expectIsLeader();

            second.stepDown();
            assertThat(secondEvents.poll()).startsWith("notLeader: stepped down");
            firstEvents.expectIsLeader();
        }
        assertThat(first.isLeader()).isTrue();
        assertThat(firstEvents.overlapped()).isFalse();
        assertThat(firstEvents.threads()).containsExactly("rota-leadership-m1");
        assertThat(secondEvents.threads()).containsExactly("rota-leadership-m2");
    }

    @Test
    void aLoneMasterThatStepsDownLeadsAgain() throws Exception {
        LeadershipEvents events = new LeadershipEvents();
        MasterMembership only = cluster.startRegistry().joinAsMaster(master("m1"), events);
        events.expectIsLeader();

        only.stepDown();

        assertThat(events.expectNotLeader()).isEqualTo("stepped down");
        events.expectIsLeader();
        await().until(only::isLeader);
    }

    @Test
    void closingTheRegistryGivesUpLeadership() throws Exception {
        LeadershipEvents firstEvents = new LeadershipEvents();
        LeadershipEvents secondEvents = new LeadershipEvents();
        Registry firstRegistry = cluster.startRegistry();
        MasterMembership first = firstRegistry.joinAsMaster(master("m1"), firstEvents);
        firstEvents.expectIsLeader();
        cluster.startRegistry().joinAsMaster(master("m2"), secondEvents);

        firstRegistry.close();

        firstEvents.expectNotLeader();
        assertThat(first.isLeader()).isFalse();
        secondEvents.expectIsLeader();
    }
}
