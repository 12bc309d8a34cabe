package dev.rota.registry;

import static dev.rota.registry.TestCluster.master;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;






import org.junit.jupiter.api.Test;

class FailoverTest extends ZooKeeperTest {
    @Test
    void failoverFromAnAdminClientMovesLeadershipAndBack() throws Exception {
        LeadershipEvents firstEvents = new LeadershipEvents();
        LeadershipEvents secondEvents = new LeadershipEvents();
        MasterMembership first = cluster.startRegistry().joinAsMaster(master("m1"), firstEvents);
        firstEvents.expectIsLeader();
        MasterMembership second = cluster.startRegistry().joinAsMaster(master("m2"), secondEvents);
        Registry admin = cluster.startRegistry();

        assertThat(admin.requestFailover()).isEqualTo("m1");

        assertThat(firstEvents.expectNotLeader()).isEqualTo("stepped down");
        secondEvents.expectIsLeader();
        await().untilAsserted(() -> assertThat(admin.status().leaderId()).contains("m2"));
        await().until(() -> TestCluster.curator(admin).checkExists().forPath("/failover") == null);

        assertThat(admin.requestFailover()).isEqualTo("m2");

        assertThat(secondEvents.expectNotLeader()).isEqualTo("stepped down");
        firstEvents.expectIsLeader();
        assertThat(first.isLeader()).isTrue();
        assertThat(second.isLeader()).isFalse();
        await().untilAsserted(() -> assertThat(admin.status().leaderId()).contains("m1"));
    }

    @Test
    void failoverIsRefusedWithoutALeader() {
        Registry admin = cluster.startRegistry();

        assertThatThrownBy(admin::requestFailover)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("no master leads")
                .hasMessageContaining(cluster.namespace());
    }

    @Test
    void failoverIsRefusedWhenNoOtherMasterCouldTakeOver() throws Exception {
        LeadershipEvents events = new LeadershipEvents();
        MasterMembership only = cluster.startRegistry().joinAsMaster(master("m1"), events);
        events.expectIsLeader();
        Registry admin = cluster.startRegistry();

        assertThatThrownBy(admin::requestFailover)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("1 master(s) registered");
        assertThat(only.isLeader()).isTrue();
        assertThat(TestCluster.curator(admin).checkExists().forPath("/failover")).isNull();
    }
}
