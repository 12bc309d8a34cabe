package dev.rota.mqtt;

import dev.rota.mqtt.internal.PahoBridge;

/**
 * Forwards every event of a namespace's events exchange to an MQTT broker at QoS 1, on topic
 * {@code rota/<ns>/<team>/<taskType>/<state>}, with the same JSON body. It consumes a durable queue bound
 * to the exchange and acknowledges each AMQP message only after the MQTT broker's PUBACK, so an event is
 * never lost across a bridge, broker or leader crash (it may be delivered twice: subscribers deduplicate
 * by the CloudEvents {@code id}). Lifecycle LATENT, STARTED, CLOSED: starting twice throws, closing twice
 * does nothing.
 */
public interface MqttBridge extends AutoCloseable {

    static MqttBridge of(MqttBridgeConfig config) {
        return new PahoBridge(config);
    }

    /** Connects to both brokers and starts forwarding; throws when either cannot be reached. */
    void start();

    /** Events forwarded and acknowledged so far. */
    long forwarded();

    @Override
    void close();
}
