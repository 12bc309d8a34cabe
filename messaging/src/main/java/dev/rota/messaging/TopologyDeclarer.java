package dev.rota.messaging;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import dev.rota.model.ClusterSettings;
import dev.rota.model.QueueType;
import dev.rota.model.Topology;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Declares a namespace's exchanges and queues. Declarations are idempotent, so masters and workers
 * both declare what they use; all of them must declare a queue with the same arguments, which is
 * why this is the only place that does.
 *
 * <p>A queue's arguments cannot change once it exists: redeclaring it with others fails with
 * PRECONDITION_FAILED. The results queue gained a delivery limit and a dead-letter route in schema V4's
 * release; a namespace created before must have its results queue deleted (when empty, with every node
 * stopped) or be replaced by a fresh namespace (see the README).
 */
public final class TopologyDeclarer {
    private final ClusterSettings settings;
    private final Topology topology;

    public TopologyDeclarer(ClusterSettings settings) {
        this.settings = settings;
        this.topology = settings.topology();
    }

    /** The exchanges, the results queue and the dead-letter queue. */
    public void declareShared(Channel channel) throws IOException {
        channel.exchangeDeclare(topology.taskExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(topology.controlExchange(), BuiltinExchangeType.FANOUT, true);
        channel.exchangeDeclare(topology.eventsExchange(), BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(topology.deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(topology.deadLetterQueue(), true, false, false, queueArguments(false));
        channel.queueBind(topology.deadLetterQueue(), topology.deadLetterExchange(), "");
        channel.queueDeclare(topology.parkedQueue(), true, false, false, queueArguments(false));
        channel.queueDeclare(topology.resultsDeadLetterQueue(), true, false, false, queueArguments(false));
        channel.queueDeclare(topology.resultsQueue(), true, false, false, resultsQueueArguments());
        channel.exchangeDeclare(topology.resultsExchange(), BuiltinExchangeType.DIRECT, true);
        channel.queueBind(topology.resultsQueue(), topology.resultsExchange(), topology.resultsQueue());
        declareBrokerClients(channel);
    }

    /** Dead-letters to its own queue through the default exchange; a delivery limit where the queue type has one. */
    private Map<String, Object> resultsQueueArguments() {
        Map<String, Object> args = queueArguments(false);
        args.put("x-dead-letter-exchange", "");
        args.put("x-dead-letter-routing-key", topology.resultsDeadLetterQueue());
        if (settings.queueType() == QueueType.QUORUM) {
            args.put("x-delivery-limit", Topology.RESULTS_DELIVERY_LIMIT);
        }
        return args;
    }

    /**
     * What clients without ZooKeeper use: the submit exchange and its queue, the workers queue, and the
     * settings queue, which keeps only the latest settings message.
     */
    private void declareBrokerClients(Channel channel) throws IOException {
        channel.exchangeDeclare(topology.submitExchange(), BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(topology.submissionsQueue(), true, false, false, queueArguments(false));
        channel.queueBind(topology.submissionsQueue(), topology.submitExchange(), "");
        channel.queueDeclare(topology.workersQueue(), true, false, false, queueArguments(false));
        channel.queueDeclare(topology.settingsQueue(), true, false, false, settingsQueueArguments());
    }

    /** The arguments of the settings queue: classic, at most one message, the oldest dropped. */
    public static Map<String, Object> settingsQueueArguments() {
        return Map.of("x-queue-type", "classic", "x-max-length", 1, "x-overflow", "drop-head");
    }

    /** The exact arguments every task queue is declared with; a client declaring one must use the same. */
    public Map<String, Object> taskQueueArguments() {
        return Map.copyOf(queueArguments(true));
    }

    /** The durable queue of one task type, bound to the task exchange by the type. */
    public void declareTaskQueue(Channel channel, String taskType) throws IOException {
        String queue = topology.taskQueue(taskType);
        channel.queueDeclare(queue, true, false, false, queueArguments(true));
        channel.queueBind(queue, topology.taskExchange(), taskType);
    }

    private Map<String, Object> queueArguments(boolean taskQueue) {
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", settings.queueType().argument());
        if (taskQueue) {
            args.put("x-dead-letter-exchange", topology.deadLetterExchange());
            if (settings.queueType() == QueueType.QUORUM) {
                args.put("x-delivery-limit", settings.deliveryLimit());
            }
        }
        return args;
    }
}
