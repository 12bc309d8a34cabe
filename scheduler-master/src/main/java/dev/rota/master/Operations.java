package dev.rota.master;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.rota.db.RotaDatabase;
import dev.rota.db.RunView;
import dev.rota.master.internal.CompletionEvents;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.ClusterSettings;
import dev.rota.model.ControlMessage;
import dev.rota.model.MessageCodec;
import dev.rota.model.Topology;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * What an operator does to runs from outside the cluster, with the messages the cluster needs to hear
 * about it. Connects to RabbitMQ with the cluster's published settings; close it when done.
 */
public final class Operations implements AutoCloseable {
    private final RotaDatabase db;
    private final Topology topology;
    private final Connection amqp;
    private final MessageCodec codec = new MessageCodec();
    private final Clock clock;

    private Operations(RotaDatabase db, ClusterSettings settings, Connection amqp, Clock clock) {
        this.db = db;
        this.topology = settings.topology();
        this.amqp = amqp;
        this.clock = clock;
    }

    /**
     * @param settings the cluster's settings, as masters publish them in ZooKeeper
     * @throws IOException when RabbitMQ cannot be reached
     */
    public static Operations connect(RotaDatabase db, ClusterSettings settings) throws IOException {
        return new Operations(db, settings, AmqpConnections.open(settings.amqpUri(), "rota-operator"), Clock.systemUTC());
    }

    /**
     * Cancels a scheduled, queued or running run. When an attempt was out with a worker, every worker is
     * told to interrupt it (the one running it stops the handler and reports, which changes nothing
     * more), and a CANCELLED completion event is published.
     *
     * @return the cancelled run, or empty when it was not active (unknown, or already final)
     */
    public Optional<RunView> cancel(long runId) throws IOException {
        Optional<RunView> cancelled = db.runs().cancel(runId);
        if (cancelled.isPresent()) {
            RunView run = cancelled.get();
            Channel channel = amqp.createChannel();
            try {
                if (run.attempt() > 0) {
                    channel.basicPublish(topology.controlExchange(), "", null,
                            codec.encode(new ControlMessage(ControlMessage.Type.CANCEL, run.id(), run.attempt())));
                }
                channel.basicPublish(topology.eventsExchange(),
                        Topology.eventRoutingKey(run.team(), run.taskType(), run.state()), null,
                        codec.encode(CompletionEvents.of(run, clock.instant())));
            } finally {
                closeQuietly(channel);
            }
        }
        return cancelled;
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException | TimeoutException e) {
            // the messages were handed to the broker already; nothing to undo
        }
    }

    @Override
    public void close() throws IOException {
        if (amqp.isOpen()) {
            amqp.close();
        }
    }
}
