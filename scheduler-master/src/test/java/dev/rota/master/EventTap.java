package dev.rota.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.rota.messaging.AmqpConnections;
import dev.rota.testsupport.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test's own consumer on the events exchange: a server-named, exclusive queue bound to every routing key,
 * keeping each event's routing key and body in arrival order. Open it before the events it must see are
 * published. The broker's consumer thread only records; tests read on their own thread (with Awaitility).
 */
final class EventTap implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Event(String key, byte[] body) {
    }

    private final Connection conn;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private EventTap(String exchange) throws Exception {
        conn = AmqpConnections.open(TestServers.amqpUri(), "test-events");
        Channel ch = conn.createChannel();
        ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true);
        String q = ch.queueDeclare().getQueue();
        ch.queueBind(q, exchange, "#");
        ch.basicConsume(q, true, (tag, d) -> events.add(new Event(d.getEnvelope().getRoutingKey(), d.getBody())),
                tag -> { });
    }

    /** Starts consuming every event published to {@code exchange} from now on. */
    static EventTap open(String exchange) throws Exception {
        return new EventTap(exchange);
    }

    /** The routing keys so far, in arrival order. */
    List<String> keys() {
        return events.stream().map(Event::key).toList();
    }

    /** The events so far of run {@code runId} that report {@code state} (the CloudEvent's data), in arrival order. */
    List<JsonNode> ofRun(long runId, String state) {
        return events.stream().map(e -> json(e.body())).filter(e -> e.path("data").path("runId").asLong() == runId
                && e.path("data").path("state").asText().equals(state)).toList();
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("an event that is not JSON: " + new String(body,
                    java.nio.charset.StandardCharsets.UTF_8), e);
        }
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }
}
