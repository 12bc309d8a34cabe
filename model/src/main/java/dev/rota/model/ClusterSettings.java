package dev.rota.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What a worker learns from ZooKeeper when it joins: everything it needs beyond the ZooKeeper address.
 * Masters publish it; it is stored as JSON.
 *
 * @param amqpUri           broker address with credentials, e.g. {@code amqp://guest:guest@127.0.0.1:5672/%2F}
 * @param namespace         the cluster's namespace; {@link #topology()} derives the queue names from it
 * @param queueType         type of the task queues
 * @param deliveryLimit     deliveries of one message before it is dead-lettered (quorum queues)
 * @param heartbeatInterval how often a worker reports that a long task is still running
 * @param maxPayloadBytes   largest accepted task payload, in bytes of JSON
 */
public record ClusterSettings(
        String amqpUri,
        String namespace,
        QueueType queueType,
        int deliveryLimit,
        Duration heartbeatInterval,
        int maxPayloadBytes) {

    public static final QueueType DEFAULT_QUEUE_TYPE = QueueType.QUORUM;
    public static final int DEFAULT_DELIVERY_LIMIT = 5;
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

    public ClusterSettings {
        Objects.requireNonNull(amqpUri, "amqpUri");
        Names.requireValid("namespace", namespace);
        Objects.requireNonNull(queueType, "queueType");
        if (deliveryLimit < 1) {
            throw new IllegalArgumentException("deliveryLimit must be at least 1, was " + deliveryLimit);
        }
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, was " + heartbeatInterval);
        }
        if (maxPayloadBytes < 2) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 2, was " + maxPayloadBytes);
        }
    }

    public static ClusterSettings defaults(String amqpUri, String namespace) {
        return new ClusterSettings(amqpUri, namespace, DEFAULT_QUEUE_TYPE, DEFAULT_DELIVERY_LIMIT,
                DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public Topology topology() {
        return new Topology(namespace);
    }
}
