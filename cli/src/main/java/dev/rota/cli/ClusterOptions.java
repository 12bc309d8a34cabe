package dev.rota.cli;

import dev.rota.model.ClusterSettings;
import dev.rota.model.QueueType;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The settings a master publishes to workers beside the broker address. */
public final class ClusterOptions {
    @Env("ROTA_QUEUE_TYPE")
    @Option(names = "--queue-type", paramLabel = "TYPE", defaultValue = "QUORUM",
            description = "Task queue type: QUORUM (counts deliveries, so a poison message is dead-lettered) or"
                    + " CLASSIC (env ROTA_QUEUE_TYPE; default: ${DEFAULT-VALUE}). Existing queues keep their type.")
    QueueType queueType;

    @Env("ROTA_DELIVERY_LIMIT")
    @Option(names = "--delivery-limit", paramLabel = "N", defaultValue = "" + ClusterSettings.DEFAULT_DELIVERY_LIMIT,
            description = "Deliveries of one task message before RabbitMQ dead-letters it, quorum queues only"
                    + " (env ROTA_DELIVERY_LIMIT; default: ${DEFAULT-VALUE}).")
    int deliveryLimit;

    @Env("ROTA_HEARTBEAT_INTERVAL")
    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "How often workers report a long task as still running (env ROTA_HEARTBEAT_INTERVAL;"
                    + " default: ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Env("ROTA_MAX_PAYLOAD_BYTES")
    @Option(names = "--max-payload-bytes", paramLabel = "BYTES", defaultValue = "" + ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES,
            description = "Largest task payload dispatched; larger runs fail with a clear error"
                    + " (env ROTA_MAX_PAYLOAD_BYTES; default: ${DEFAULT-VALUE}).")
    int maxPayloadBytes;

    /** @throws IllegalArgumentException naming the bad value */
    public ClusterSettings settings(String amqpUri, String namespace) {
        return new ClusterSettings(amqpUri, namespace, queueType, deliveryLimit, heartbeatInterval, maxPayloadBytes);
    }
}
