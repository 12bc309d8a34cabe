package dev.rota.worker.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.rota.messaging.AmqpConnections;
import dev.rota.messaging.ConfirmingPublisher;
import dev.rota.messaging.TopologyDeclarer;
import dev.rota.model.ClusterSettings;
import dev.rota.model.Credentials;
import dev.rota.model.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's RabbitMQ connection: the task consumers on one channel with the worker's prefetch, the
 * control queue on another, and a {@link ConfirmingPublisher} for results. The only class of the worker
 * that touches the RabbitMQ client.
 *
 * <p>Deliveries are handed over on the RabbitMQ client's dispatch thread; the receivers must not
 * block. Acknowledgements come from many threads and are serialised here.
 */
final class BrokerSession implements Acknowledger, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerSession.class);

    /** How long closing the connection may take before it is aborted. */
    static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** How often a worker looks for a task queue that does not exist yet. */
    static final Duration DEFAULT_QUEUE_RETRY = Duration.ofMillis(500);

    /** Receives a task delivery on the RabbitMQ client's thread; must hand it off without blocking. */
    @FunctionalInterface
    interface TaskDeliveries {
        void deliver(long deliveryTag, byte[] body);
    }

    private final Connection connection;
    private final Channel tasks;
    private final Channel control;
    private final ConfirmingPublisher publisher;
    private final Topology topology;
    private final List<String> taskConsumerTags = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    private BrokerSession(Connection connection, Channel tasks, Channel control, ConfirmingPublisher publisher,
            Topology topology) {
        this.connection = connection;
        this.tasks = tasks;
        this.control = control;
        this.publisher = publisher;
        this.topology = topology;
    }

    /**
     * Connects and declares the shared topology and the queue of each task type, with the same arguments
     * as the masters (through {@link TopologyDeclarer}).
     */
    static BrokerSession open(ClusterSettings settings, String workerId, Set<String> taskTypes, int prefetch,
            Credentials credentials) throws IOException {
        String uri = credentials == null ? settings.amqpUri()
                : AmqpConnections.withCredentials(settings.amqpUri(), credentials);
        Connection connection = AmqpConnections.open(uri, "rota-worker-" + workerId);
        try {
            TopologyDeclarer declarer = new TopologyDeclarer(settings);
            declareIfAllowed(connection, declarer::declareShared);
            for (String type : taskTypes) {
                declareIfAllowed(connection, ch -> declarer.declareTaskQueue(ch, type));
            }
            ConfirmingPublisher publisher = new ConfirmingPublisher(connection, AmqpConnections.user(uri));
            Channel tasks = connection.createChannel();
            tasks.basicQos(prefetch);
            Channel control = connection.createChannel();
            return new BrokerSession(connection, tasks, control, publisher, settings.topology());
        } catch (IOException | RuntimeException e) {
            abort(connection);
            throw e instanceof IOException io ? io : new IOException("cannot prepare the RabbitMQ session: " + e, e);
        }
    }

    private interface Declaration {
        void declare(Channel channel) throws IOException;
    }

    /**
     * Runs {@code declaration} on a throwaway channel. A least-privilege worker user may not declare the
     * shared topology or task queues (masters declare them before they publish the settings, and when a
     * worker announces its task types); the refusal, like a missing queue, closes only that channel.
     *
     * @return whether the declaration succeeded
     */
    private static boolean declareIfAllowed(Connection connection, Declaration declaration) throws IOException {
        Channel declaring = connection.createChannel();
        try {
            declaration.declare(declaring);
            return true;
        } catch (IOException | ShutdownSignalException e) {
            log.debug("not declaring (masters do): {}", e.toString());
            return false;
        } finally {
            if (declaring.isOpen()) {
                try {
                    declaring.close();
                } catch (java.util.concurrent.TimeoutException | ShutdownSignalException e) {
                    log.debug("closing the declaring channel: {}", e.toString());
                }
            }
        }
    }

    ConfirmingPublisher publisher() {
        return publisher;
    }

    /**
     * Starts a manual-acknowledgement consumer on the queue of each task type. A queue that does not exist
     * yet (a least-privilege worker may not declare it; the leader declares the queues of the task types
     * workers announce) is consumed as soon as it appears: {@code waiter} looks for it every
     * {@link #DEFAULT_QUEUE_RETRY}.
     */
    void consumeTasks(Set<String> taskTypes, TaskDeliveries receiver, ScheduledExecutorService waiter)
            throws IOException {
        for (String type : taskTypes) {
            if (queueExists(topology.taskQueue(type))) {
                consumeTasks(type, receiver);
            } else {
                log.info("task queue {} does not exist yet; consuming it once a master declares it",
                        topology.taskQueue(type));
                waitForQueue(type, receiver, waiter);
            }
        }
    }

    private void waitForQueue(String type, TaskDeliveries receiver, ScheduledExecutorService waiter) {
        waiter.schedule(() -> {
            try {
                if (!connection.isOpen() || stopped) {
                    return;
                }
                if (queueExists(topology.taskQueue(type))) {
                    consumeTasks(type, receiver);
                    log.info("consuming task queue {} now that it exists", topology.taskQueue(type));
                } else {
                    waitForQueue(type, receiver, waiter);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("cannot consume task queue {}: {}; trying again", topology.taskQueue(type), e.toString());
                waitForQueue(type, receiver, waiter);
            }
        }, DEFAULT_QUEUE_RETRY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private boolean queueExists(String queue) throws IOException {
        return declareIfAllowed(connection, ch -> ch.queueDeclarePassive(queue));
    }

    private synchronized void consumeTasks(String type, TaskDeliveries receiver) throws IOException {
        if (stopped) {
            return;
        }
        {
            String queue = topology.taskQueue(type);
            taskConsumerTags.add(tasks.basicConsume(queue, false, new DefaultConsumer(tasks) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) {
                    receiver.deliver(envelope.getDeliveryTag(), body);
                }

                @Override
                public void handleCancel(String consumerTag) {
                    log.warn("the broker cancelled the consumer of {} (queue deleted?); no more {} tasks arrive",
                            queue, type);
                }
            }));
        }
    }

    /**
     * Binds an exclusive, auto-deleted queue to the control exchange and passes each message body to
     * {@code receiver} on the RabbitMQ client's thread.
     */
    void consumeControl(Consumer<byte[]> receiver) throws IOException {
        String queue = control.queueDeclare("", false, true, true, null).getQueue();
        control.queueBind(queue, topology.controlExchange(), "");
        control.basicConsume(queue, true, new DefaultConsumer(control) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                    byte[] body) {
                receiver.accept(body);
            }
        });
    }

    /** Cancels the task consumers: no new deliveries arrive, unacknowledged ones stay with this worker. */
    synchronized void stopConsuming() {
        stopped = true;
        for (String tag : taskConsumerTags) {
            try {
                tasks.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot cancel consumer {}: {}", tag, e.toString());
            }
        }
        taskConsumerTags.clear();
    }

    @Override
    public synchronized void ack(long deliveryTag) {
        settle("ack", deliveryTag, () -> tasks.basicAck(deliveryTag, false));
    }

    @Override
    public synchronized void deadLetter(long deliveryTag) {
        settle("reject", deliveryTag, () -> tasks.basicReject(deliveryTag, false));
    }

    @Override
    public synchronized void requeue(long deliveryTag) {
        settle("requeue", deliveryTag, () -> tasks.basicNack(deliveryTag, false, true));
    }

    private interface ChannelCall {
        void run() throws IOException;
    }

    private void settle(String what, long deliveryTag, ChannelCall call) {
        try {
            call.run();
        } catch (IOException | ShutdownSignalException e) {
            log.warn("{} of delivery {} failed ({}); the broker will redeliver it", what, deliveryTag, e.toString());
        }
    }

    /** True while the connection is open (false while automatic recovery reopens it). */
    boolean isOpen() {
        return connection.isOpen();
    }

    /** Closes the connection; deliveries not acknowledged return to their queues. */
    @Override
    public void close() {
        publisher.close();
        try {
            connection.close((int) DEFAULT_CLOSE_TIMEOUT.toMillis());
        } catch (IOException | ShutdownSignalException e) {
            log.warn("closing the RabbitMQ connection failed: {}", e.toString());
            abort(connection);
        }
    }

    private static void abort(Connection connection) {
        connection.abort((int) DEFAULT_CLOSE_TIMEOUT.toMillis());
    }
}
