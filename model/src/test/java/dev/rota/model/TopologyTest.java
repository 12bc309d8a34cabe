package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopologyTest {
    private final Topology topology = new Topology("prod");

    @Test
    void namesAreDerivedFromTheNamespace() {
        assertThat(topology.taskExchange()).isEqualTo("rota.prod.tasks");
        assertThat(topology.taskQueue("report")).isEqualTo("rota.prod.task.report");
        assertThat(topology.resultsQueue()).isEqualTo("rota.prod.results");
        assertThat(topology.controlExchange()).isEqualTo("rota.prod.control");
        assertThat(topology.eventsExchange()).isEqualTo("rota.prod.events");
        assertThat(topology.deadLetterExchange()).isEqualTo("rota.prod.dlx");
        assertThat(topology.deadLetterQueue()).isEqualTo("rota.prod.dead-letters");
        assertThat(topology.parkedQueue()).isEqualTo("rota.prod.parked");
    }

    @Test
    void namespacesDoNotShareNames() {
        Topology other = new Topology("staging");
        assertThat(other.taskQueue("report")).isNotEqualTo(topology.taskQueue("report"));
        assertThat(other.resultsQueue()).isNotEqualTo(topology.resultsQueue());
    }

    @Test
    void eventRoutingKeyIsTeamTypeState() {
        assertThat(Topology.eventRoutingKey("billing", "report", RunState.SUCCEEDED))
                .isEqualTo("billing.report.SUCCEEDED");
        assertThat(Topology.eventRoutingKey("billing", "report", RunState.DEAD)).isEqualTo("billing.report.DEAD");
    }

    @Test
    void invalidNamesAreRejected() {
        assertThatThrownBy(() -> new Topology("a.b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("namespace 'a.b'");
        assertThatThrownBy(() -> new Topology(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace");
        assertThatThrownBy(() -> topology.taskQueue("bad type"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("task type 'bad type'");
    }

    @Test
    void clusterSettingsDeriveTheTopologyAndValidate() {
        ClusterSettings defaults = ClusterSettings.defaults("amqp://localhost", "prod");
        assertThat(defaults.topology()).isEqualTo(topology);
        assertThat(defaults.queueType()).isEqualTo(QueueType.QUORUM);
        assertThat(defaults.deliveryLimit()).isEqualTo(ClusterSettings.DEFAULT_DELIVERY_LIMIT);
        assertThat(defaults.heartbeatInterval()).isEqualTo(ClusterSettings.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(QueueType.QUORUM.argument()).isEqualTo("quorum");
        assertThat(QueueType.CLASSIC.argument()).isEqualTo("classic");

        assertThatThrownBy(() -> new ClusterSettings("amqp://x", "prod", QueueType.QUORUM, 0, Duration.ofSeconds(1), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryLimit");
        assertThatThrownBy(() -> new ClusterSettings("amqp://x", "prod", QueueType.QUORUM, 1, Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> new ClusterSettings("amqp://x", "prod", QueueType.QUORUM, 1, Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
        assertThatThrownBy(() -> new ClusterSettings("amqp://x", "a b", QueueType.QUORUM, 1, Duration.ofSeconds(1), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namespace");
    }
}
