package dev.rota.mqtt;

import dev.rota.model.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link MqttBridge} connects and forwards.
 *
 * @param amqpUri        the RabbitMQ broker with the namespace's events exchange
 * @param namespace      the Rota namespace; topics are {@code rota/<namespace>/<team>/<taskType>/<state>}
 * @param mqttUri        the MQTT broker, e.g. {@code tcp://127.0.0.1:1883}
 * @param clientId       the MQTT client id
 * @param inFlight       events forwarded but not yet acknowledged by the MQTT broker (the AMQP prefetch)
 * @param publishTimeout how long to wait for a PUBACK before the event is requeued
 */
public record MqttBridgeConfig(String amqpUri, String namespace, String mqttUri, String clientId, int inFlight,
        Duration publishTimeout) {

    public static final String DEFAULT_MQTT_URI = "tcp://127.0.0.1:1883";
    public static final int DEFAULT_IN_FLIGHT = 50;
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    public MqttBridgeConfig {
        Objects.requireNonNull(amqpUri, "amqpUri");
        Names.requireValid("namespace", namespace);
        if (mqttUri == null || !(mqttUri.startsWith("tcp://") || mqttUri.startsWith("ssl://"))) {
            throw new IllegalArgumentException("mqttUri must start with tcp:// or ssl://, was " + mqttUri);
        }
        if (clientId == null || clientId.isEmpty() || clientId.length() > 23 * 10) {
            throw new IllegalArgumentException("clientId must be 1 to 230 characters, was " + clientId);
        }
        if (inFlight < 1 || inFlight > 65535) {
            throw new IllegalArgumentException("inFlight must be 1 to 65535, was " + inFlight);
        }
        if (publishTimeout == null || publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive, was " + publishTimeout);
        }
    }

    public static MqttBridgeConfig defaults(String amqpUri, String namespace) {
        return new MqttBridgeConfig(amqpUri, namespace, DEFAULT_MQTT_URI, "rota-mqtt-bridge-" + namespace,
                DEFAULT_IN_FLIGHT, DEFAULT_PUBLISH_TIMEOUT);
    }

    /** The durable queue the bridge consumes, bound to the events exchange with {@code #}. */
    public String queue() {
        return "rota." + namespace + ".mqtt-bridge";
    }

    /** The MQTT topic of an event with AMQP routing key {@code team.taskType.STATE}. */
    public String topic(String routingKey) {
        return "rota/" + namespace + "/" + routingKey.replace('.', '/');
    }
}
