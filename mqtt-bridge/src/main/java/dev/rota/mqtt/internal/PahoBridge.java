package dev.rota.mqtt.internal;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.Topology;
import dev.rota.mqtt.MqttBridge;
import dev.rota.mqtt.MqttBridgeConfig;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge with Eclipse Paho. The AMQP client thread hands each event to Paho's asynchronous publish
 * (it does not block); Paho's callback thread acks the AMQP message on PUBACK, or requeues it on failure.
 * At most {@code inFlight} events are unacknowledged (the AMQP prefetch and Paho's in-flight window).
 */
public final class PahoBridge implements MqttBridge {
    private static final Logger log = LoggerFactory.getLogger(PahoBridge.class);

    private enum State { LATENT, STARTED, CLOSED }

    private final MqttBridgeConfig config;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final AtomicLong forwarded = new AtomicLong();
    private MqttAsyncClient mqtt;
    private Connection amqp;
    private Channel channel;

    public PahoBridge(MqttBridgeConfig config) {
        this.config = config;
    }

    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the MQTT bridge was already started");
        }
        try {
            mqtt = new MqttAsyncClient(config.mqttUri(), config.clientId(), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(true);
            options.setMaxInflight(config.inFlight());
            mqtt.connect(options).waitForCompletion(config.publishTimeout().toMillis());
            amqp = AmqpConnections.open(config.amqpUri(), "rota-mqtt-bridge-" + config.namespace());
            channel = amqp.createChannel();
            Topology topology = new Topology(config.namespace());
            channel.exchangeDeclare(topology.eventsExchange(), "topic", true);
            channel.queueDeclare(config.queue(), true, false, false, null);
            channel.queueBind(config.queue(), topology.eventsExchange(), "#");
            channel.basicQos(config.inFlight());
            DeliverCallback onEvent = (tag, d) -> forward(d.getEnvelope().getDeliveryTag(),
                    d.getEnvelope().getRoutingKey(), d.getBody());
            channel.basicConsume(config.queue(), false, "rota-mqtt-bridge", onEvent, tag -> log.warn("bridge consumer cancelled"));
            log.info("forwarding {} to {} as {}", config.queue(), config.mqttUri(), config.topic("<team>.<taskType>.<state>"));
        } catch (MqttException | IOException | RuntimeException e) {
            close();
            throw new IllegalStateException("cannot start the MQTT bridge (" + config.mqttUri() + "): " + e.getMessage(), e);
        }
    }

    private void forward(long tag, String routingKey, byte[] body) {
        MqttMessage message = new MqttMessage(body);
        message.setQos(1);
        try {
            mqtt.publish(config.topic(routingKey), message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    settle(tag, true);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    log.warn("MQTT publish failed ({}); the event is requeued", e.toString());
                    settle(tag, false);
                }
            });
        } catch (MqttException | RuntimeException e) {
            log.warn("cannot publish to MQTT ({}); the event is requeued", e.toString());
            settle(tag, false);
        }
    }

    private synchronized void settle(long tag, boolean delivered) {
        try {
            if (delivered) {
                channel.basicAck(tag, false);
                forwarded.incrementAndGet();
            } else {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot settle event {}: {} (it will be redelivered)", tag, e.toString());
        }
    }

    @Override
    public long forwarded() {
        return forwarded.get();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        try {
            if (amqp != null && amqp.isOpen()) {
                amqp.close();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("closing AMQP: {}", e.toString());
        }
        try {
            if (mqtt != null) {
                if (mqtt.isConnected()) {
                    mqtt.disconnect().waitForCompletion(1000);
                }
                mqtt.close();
            }
        } catch (MqttException e) {
            log.debug("closing MQTT: {}", e.toString());
        }
    }
}
