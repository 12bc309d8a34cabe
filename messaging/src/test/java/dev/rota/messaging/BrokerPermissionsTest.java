package dev.rota.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.rota.model.ClusterSettings;
import dev.rota.model.Credentials;
import dev.rota.model.Topology;
import dev.rota.testsupport.RabbitCleanup;
import dev.rota.testsupport.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real RabbitMQ users with the documented permissions: a worker publishes results, signed with its
 * user, and nothing else; it cannot sign as another user. Needs {@code rabbitmqctl} (the test machine
 * runs RabbitMQ locally as root); skipped without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerPermissionsTest {
    private final String namespace = TestServers.uniqueName("perm");
    private final Topology topology = new Topology(namespace);
    private final BrokerUsers users = new BrokerUsers("rabbitmqctl");
    private final Credentials master = new Credentials(namespace + "-master", UUID.randomUUID().toString());
    private final Credentials worker = new Credentials(namespace + "-worker", UUID.randomUUID().toString());
    private Connection masterConnection;
    private Connection workerConnection;

    @BeforeAll
    void createUsers() throws Exception {
        assumeTrue(users.available(), "rabbitmqctl is not available here");
        users.ensure("/", master, BrokerPermissions.master(topology));
        users.ensure("/", worker, BrokerPermissions.worker(topology));
        masterConnection = AmqpConnections.open(AmqpConnections.withCredentials(TestServers.amqpUri(), master), "perm-master");
        try (Channel ch = masterConnection.createChannel()) {
            TopologyDeclarer declarer = new TopologyDeclarer(ClusterSettings.defaults(TestServers.amqpUri(), namespace));
            declarer.declareShared(ch);
            declarer.declareTaskQueue(ch, "noop");
        }
        workerConnection = AmqpConnections.open(AmqpConnections.withCredentials(TestServers.amqpUri(), worker), "perm-worker");
    }

    @AfterAll
    void deleteUsers() throws Exception {
        if (workerConnection != null) {
            workerConnection.abort();
        }
        if (masterConnection != null) {
            masterConnection.abort();
        }
        RabbitCleanup.deleteNamespace(namespace, List.of("noop"));
        users.delete(master.user());
        users.delete(worker.user());
    }

    @Test
    void aWorkersResultReachesTheResultsQueueSignedWithItsUser() throws Exception {
        try (ConfirmingPublisher publisher = new ConfirmingPublisher(workerConnection, worker.user())) {
            publisher.publish(topology.resultsExchange(), topology.resultsQueue(), bytes("{}")).get(10, TimeUnit.SECONDS);
        }
        try (Channel ch = masterConnection.createChannel()) {
            GetResponse r = ch.basicGet(topology.resultsQueue(), true);
            assertThat(r).isNotNull();
            assertThat(r.getProps().getUserId()).isEqualTo(worker.user());
        }
    }

    @Test
    void aWorkerCannotSignAsAnotherUser() throws Exception {
        try (ConfirmingPublisher forger = new ConfirmingPublisher(workerConnection, master.user())) {
            assertThatThrownBy(() -> forger.publish(topology.resultsExchange(), topology.resultsQueue(), bytes("{}"))
                    .get(10, TimeUnit.SECONDS)).hasMessageContaining("user_id");
        }
    }

    @Test
    void aWorkerCannotPublishTasksCancelsDeadLettersOrEvents() throws Exception {
        List<String[]> forbidden = List.of(
                new String[] {topology.taskExchange(), "noop"},
                new String[] {topology.controlExchange(), ""},
                new String[] {topology.deadLetterExchange(), ""},
                new String[] {topology.eventsExchange(), "default.noop.SUCCEEDED"},
                new String[] {"", topology.deadLetterQueue()},
                new String[] {"", topology.taskQueue("noop")});
        for (String[] target : forbidden) {
            Channel ch = workerConnection.createChannel();
            ch.confirmSelect();
            ch.basicPublish(target[0], target[1], new AMQP.BasicProperties.Builder().userId(worker.user()).build(),
                    bytes("{\"type\":\"CANCEL\",\"runId\":1,\"attempt\":1}"));
            assertThatThrownBy(() -> ch.waitForConfirmsOrDie(Duration.ofSeconds(10).toMillis()))
                    .as("publish to exchange '%s' key '%s'", target[0], target[1])
                    .hasStackTraceContaining("ACCESS_REFUSED");
        }
        try (Channel ch = masterConnection.createChannel()) {
            assertThat(ch.messageCount(topology.taskQueue("noop"))).isZero();
            assertThat(ch.messageCount(topology.deadLetterQueue())).isZero();
        }
    }

    @Test
    void aWorkerConsumesTasksAndListensForCancels() throws Exception {
        try (Channel ch = workerConnection.createChannel()) {
            ch.basicGet(topology.taskQueue("noop"), false);
            String control = ch.queueDeclare("", false, true, true, null).getQueue();
            ch.queueBind(control, topology.controlExchange(), "");
            new TopologyDeclarer(ClusterSettings.defaults(TestServers.amqpUri(), namespace)).declareTaskQueue(ch, "noop");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
