package dev.rota.polyglot;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/** A client in the test speaking raw AMQP, as a program in another language would. */
final class BrokerClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ns;
    private final Channel channel;
    private final String replyQueue;

    BrokerClient(Connection connection, String namespace) throws IOException {
        this.ns = namespace;
        this.channel = connection.createChannel();
        channel.confirmSelect();
        this.replyQueue = channel.queueDeclare().getQueue();
    }

    /** Publishes a submission with reply_to and a fresh correlation id, and returns that id. */
    String submit(String body, String messageId) throws Exception {
        String correlation = UUID.randomUUID().toString();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .replyTo(replyQueue).correlationId(correlation).messageId(messageId).build();
        channel.basicPublish("rota." + ns + ".submit", "", props, body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
        return correlation;
    }

    /** Submits and waits for the reply. */
    JsonNode request(String body) throws Exception {
        String correlation = submit(body, null);
        GetResponse r = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> channel.basicGet(replyQueue, true), g -> g != null);
        if (!correlation.equals(r.getProps().getCorrelationId())) {
            throw new AssertionError("reply for another request: " + r.getProps().getCorrelationId());
        }
        return JSON.readTree(r.getBody());
    }

    /** Publishes to a queue through the default exchange (results, announcements). */
    void send(String queueSuffix, String body) throws Exception {
        channel.basicPublish("", "rota." + ns + "." + queueSuffix,
                new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build(),
                body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    Channel channel() {
        return channel;
    }

    String replyQueue() {
        return replyQueue;
    }

    @Override
    public void close() throws Exception {
        if (channel.isOpen()) {
            channel.close();
        }
    }
}
