package dev.rota.cli.demo;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Deletes the demo namespace's queues before a demo. The schema is wiped too, so run ids start again at 1,
 * and a task or result left in a queue by an earlier demo that was killed would otherwise be taken for a
 * run of this one. The only class of the command line that talks to RabbitMQ directly.
 */
final class DemoBroker {
    private DemoBroker() {
    }

    /**
     * @throws IOException when the broker cannot be reached or refuses
     */
    static void reset(String amqpUri, Topology topology, Collection<String> taskTypes) throws IOException {
        List<String> queues = new ArrayList<>();
        taskTypes.forEach(type -> queues.add(topology.taskQueue(type)));
        queues.add(topology.resultsQueue());
        queues.add(topology.deadLetterQueue());
        try (Connection connection = AmqpConnections.open(amqpUri, "rota-demo-reset")) {
            for (String queue : queues) {
                try (Channel channel = connection.createChannel()) {
                    channel.queueDelete(queue);
                } catch (TimeoutException e) {
                    throw new IOException("timed out deleting queue " + queue, e);
                }
            }
        }
    }
}
