package dev.rota.registry;

import static dev.rota.registry.TestCluster.master;
import static dev.rota.registry.TestCluster.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import java.time.Duration;
import java.time.Instant;




import org.junit.jupiter.api.Test;

class LifecycleTest extends ZooKeeperTest {
    @Test
    void startingTwiceThrows_closingTwiceDoesNothing() {
        Registry registry = cluster.startRegistry();

        assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("STARTED");

        registry.close();
        assertThatCode(registry::close).doesNotThrowAnyException();
        assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");
    }

    @Test
    void operationsNeedAStartedRegistry() {
        Registry latent = new RegistryBuilder().connectString(zooKeeper.connectString()).build();

        assertThatThrownBy(latent::status).isInstanceOf(IllegalStateException.class).hasMessageContaining("LATENT");
        latent.close();
        assertThatThrownBy(() -> latent.registerWorker(worker("w1")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");
    }

    @Test
    void membershipsAndWatchesCloseIdempotently() throws Exception {
        Registry registry = cluster.startRegistry();
        LeadershipEvents events = new LeadershipEvents();
        MasterMembership master = registry.joinAsMaster(master("m1"), events);
        events.expectIsLeader();
        WorkerMembership worker = registry.registerWorker(worker("w1"));
        AutoCloseable watch = registry.watchWorkers(new WorkerEvents());

        master.close();
        master.close();
        worker.close();
        worker.close();
        watch.close();
        watch.close();

        events.expectNotLeader();
        events.expectNothingWithin(Duration.ofMillis(200));
        assertThatCode(master::stepDown).doesNotThrowAnyException();
        assertThat(master.isLeader()).isFalse();
        assertThat(registry.status().masters()).isEmpty();
        assertThat(registry.status().workers()).isEmpty();
    }

    @Test
    void theNegotiatedSessionTimeoutIsReported() {
        Registry registry = cluster.startRegistry();

        assertThat(registry.negotiatedSessionTimeout()).isEqualTo(TestCluster.SESSION_TIMEOUT);
    }

    @Test
    void anUnreachableServerFailsStartNamingIt() {
        Registry registry = new RegistryBuilder()
                .connectString("127.0.0.1:1")
                .connectionTimeout(Duration.ofMillis(500))
                .build();

        assertThatThrownBy(registry::start)
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("127.0.0.1:1");
        assertThatCode(registry::close).doesNotThrowAnyException();
    }

    @Test
    void invalidIdsAreRejected() {
        Registry registry = cluster.startRegistry();

        assertThatThrownBy(() -> registry.joinAsMaster(new MasterInfo("a/b", "h", "v", Instant.EPOCH), new LeadershipEvents()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> registry.registerWorker(worker("has.dot")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has.dot'");
    }

    @Test
    void theBuilderRejectsBadValuesNamingThem() {
        RegistryBuilder builder = new RegistryBuilder();

        assertThatThrownBy(() -> builder.namespace("bad.ns"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace 'bad.ns'");
        assertThatThrownBy(() -> builder.connectString(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectString");
        assertThatThrownBy(() -> builder.sessionTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sessionTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> builder.connectionTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectionTimeout must be positive, was PT-1S");
        assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
        assertThatThrownBy(() -> new RegistryConfig("zk:2181", "ok", null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionTimeout");
    }
}
