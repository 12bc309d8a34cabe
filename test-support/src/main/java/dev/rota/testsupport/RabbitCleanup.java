package dev.rota.testsupport;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.List;

/**
 * Deletes a test namespace's RabbitMQ queues and exchanges (names as in {@code dev.rota.model.Topology}),
 * so that tests leave the shared broker clean.
 */
public final class RabbitCleanup {
    private RabbitCleanup() {
    }

    public static void deleteNamespace(String namespace, List<String> taskTypes) {
        String p = "rota." + namespace + ".";
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(TestServers.amqpUri());
            try (Connection c = f.newConnection("rota-test-cleanup")) {
                for (String type : taskTypes) {
                    delete(c, ch -> ch.queueDelete(p + "task." + type));
                }
                for (String q : List.of("results", "results.dead", "dead-letters", "parked", "submissions", "workers",
                        "settings")) {
                    delete(c, ch -> ch.queueDelete(p + q));
                }
                for (String x : List.of("tasks", "control", "events", "dlx", "results", "submit")) {
                    delete(c, ch -> ch.exchangeDelete(p + x));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot clean RabbitMQ namespace " + namespace, e);
        }
    }

    private interface ChannelAction {
        void run(Channel ch) throws Exception;
    }

    // Each deletion on its own channel: deleting something absent closes the channel with NOT_FOUND.
    private static void delete(Connection c, ChannelAction action) throws Exception {
        Channel ch = c.createChannel();
        try {
            action.run(ch);
        } catch (Exception e) {
            return;
        }
        if (ch.isOpen()) {
            ch.close();
        }
    }
}
