package dev.rota.master;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.rota.messaging.AmqpConnections;
import dev.rota.messaging.TopologyDeclarer;
import dev.rota.model.ClusterSettings;
import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.testsupport.TestServers;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker the test scripts by hand over a raw AMQP channel: it takes task messages of one type and
 * reports whatever the test says, so that paths a real worker does not take on demand (going silent,
 * reporting late, rejecting forever) can be driven.
 */
final class FakeWorker implements AutoCloseable {
    /** A delivery, and when it arrived by this JVM's clock. */
    record Received(TaskMessage task, long tag, Instant arrivedAt) {
    }

    private final MessageCodec codec = new MessageCodec();
    private final Connection connection;
    private final Channel channel;
    private final ClusterSettings settings;
    private final String workerId;
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    FakeWorker(ClusterSettings settings, String taskType, String workerId) throws Exception {
        this.settings = settings;
        this.workerId = workerId;
        this.connection = AmqpConnections.open(TestServers.amqpUri(), "fake-" + workerId);
        this.channel = connection.createChannel();
        TopologyDeclarer declarer = new TopologyDeclarer(settings);
        declarer.declareShared(channel);
        declarer.declareTaskQueue(channel, taskType);
        channel.basicQos(10);
        channel.basicConsume(settings.topology().taskQueue(taskType), false, (tag, d) -> {
            try {
                Instant arrivedAt = Instant.now();
                received.add(new Received(codec.decodeTask(d.getBody()), d.getEnvelope().getDeliveryTag(), arrivedAt));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, tag -> { });
    }

    Received next() throws InterruptedException {
        Received r = received.poll(15, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("fake worker " + workerId + " received no task within 15 s");
        }
        return r;
    }

    void report(TaskMessage task, ResultStatus status, String error) throws Exception {
        byte[] body = codec.encode(ResultMessage.of(task, workerId, status, Instant.now(), error, null));
        channel.basicPublish("", settings.topology().resultsQueue(), null, body);
    }

    void ack(Received r) throws Exception {
        channel.basicAck(r.tag(), false);
    }

    /** Gives the message back to the broker, as a crashing worker would; counts towards the delivery limit. */
    void requeue(Received r) throws Exception {
        channel.basicNack(r.tag(), false, true);
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
