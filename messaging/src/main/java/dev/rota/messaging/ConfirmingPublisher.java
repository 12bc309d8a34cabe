package dev.rota.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publishes persistent, mandatory messages on its own channel in confirm mode and returns a future per
 * message: completed when the broker confirms it, failed when the broker nacks or returns it
 * ({@link UnroutableMessageException}) or the channel closes first. Publishing many and then waiting
 * for all their futures is how callers batch. Thread-safe; publishes are serialised on the channel.
 *
 * <p>The futures complete on the RabbitMQ client's dispatch thread: callers must not block inside
 * their callbacks.
 */
public final class ConfirmingPublisher implements AutoCloseable {
    private static final String MESSAGE_ID_HEADER = "rota-publish-id";

    private final Channel channel;
    private final String userId;
    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    private final Map<String, Pending> byPublishId = new java.util.concurrent.ConcurrentHashMap<>();

    private record Pending(String publishId, String exchange, String routingKey, CompletableFuture<Void> future) {
    }

    public ConfirmingPublisher(Connection connection) throws IOException {
        this(connection, null);
    }

    /**
     * A publisher that sets the AMQP {@code user_id} property of every message to {@code userId}, which
     * must be the connection's user: RabbitMQ refuses a message whose {@code user_id} is anyone else
     * (the channel closes), so a consumer can trust the property to name the sender.
     *
     * @param userId the connection's broker user, or null to leave the property unset
     */
    public ConfirmingPublisher(Connection connection, String userId) throws IOException {
        this.userId = userId;
        this.channel = connection.createChannel();
        channel.confirmSelect();
        channel.addConfirmListener((seq, multiple) -> settle(seq, multiple, null),
                (seq, multiple) -> settle(seq, multiple, "nacked by the broker"));
        channel.addReturnListener(r -> {
            Object id = r.getProperties().getHeaders() == null ? null : r.getProperties().getHeaders().get(MESSAGE_ID_HEADER);
            Pending p = id == null ? null : byPublishId.get(id.toString());
            if (p != null) {
                fail(p, new UnroutableMessageException(r.getExchange(), r.getRoutingKey(), r.getReplyText()));
            }
        });
        channel.addShutdownListener(this::failAll);
    }

    /** Publishes a persistent JSON message with the mandatory flag. */
    public CompletableFuture<Void> publish(String exchange, String routingKey, byte[] body) {
        return publish(exchange, routingKey, Map.of(), body, true);
    }

    /**
     * Publishes a persistent JSON message with extra headers.
     *
     * @param mandatory whether an unroutable message fails the future ({@link UnroutableMessageException});
     *                  without it the broker drops such a message and confirms it
     */
    public synchronized CompletableFuture<Void> publish(String exchange, String routingKey, Map<String, Object> headers,
            byte[] body, boolean mandatory) {
        String publishId = UUID.randomUUID().toString();
        Map<String, Object> allHeaders = new java.util.HashMap<>(headers);
        allHeaders.put(MESSAGE_ID_HEADER, publishId);
        AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC.builder()
                .contentType("application/json")
                .headers(allHeaders)
                .userId(userId)
                .build();
        Pending pending = new Pending(publishId, exchange, routingKey, new CompletableFuture<>());
        if (!channel.isOpen()) {
            pending.future().completeExceptionally(new PublishFailedException("channel is closed"));
            return pending.future();
        }
        long seq = channel.getNextPublishSeqNo();
        outstanding.put(seq, pending);
        byPublishId.put(publishId, pending);
        try {
            channel.basicPublish(exchange, routingKey, mandatory, props, body);
        } catch (IOException | RuntimeException e) {
            outstanding.remove(seq);
            fail(pending, new PublishFailedException("publish to '" + exchange + "' failed: " + e.getMessage(), e));
        }
        return pending.future();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    private void settle(long seq, boolean multiple, String nackReason) {
        var settled = multiple ? outstanding.headMap(seq, true) : outstanding.subMap(seq, true, seq, true);
        for (Pending p : settled.values()) {
            if (nackReason == null) {
                byPublishId.remove(p.publishId());
                p.future().complete(null);
            } else {
                fail(p, new PublishFailedException("message to '" + p.exchange() + "' " + nackReason));
            }
        }
        settled.clear();
    }

    private void fail(Pending p, RuntimeException cause) {
        byPublishId.remove(p.publishId());
        p.future().completeExceptionally(cause);
    }

    private void failAll(ShutdownSignalException cause) {
        // With automatic recovery the channel comes back with fresh sequence numbers: every confirm
        // outstanding now is lost and must be treated as a failure, or a message could silently vanish.
        for (Long seq : outstanding.keySet()) {
            Pending p = outstanding.remove(seq);
            if (p != null) {
                fail(p, new PublishFailedException("channel closed before confirm: " + cause.getMessage(), cause));
            }
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | ShutdownSignalException e) {
            // closing anyway; outstanding futures are failed by the shutdown listener
        }
    }
}
