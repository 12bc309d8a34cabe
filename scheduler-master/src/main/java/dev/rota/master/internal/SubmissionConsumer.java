package dev.rota.master.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import dev.rota.db.BrokerClients;
import dev.rota.db.BrokerClients.Submission;
import dev.rota.db.BrokerClients.SubmitResult;
import dev.rota.db.BrokerClients.SubmitStatus;
import dev.rota.db.FencedException;
import dev.rota.master.MasterEvent;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.SubmissionReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the submissions queue while this master leads. The RabbitMQ callback only enqueues; the term's
 * submissions thread records a batch in one fenced transaction, then answers each message that has
 * {@code reply_to} and {@code correlation_id}, then acks the batch. A crash before the ack redelivers the
 * batch: submissions with an idempotency key (or an AMQP {@code message_id}) are then answered DUPLICATE
 * with the same run. A submission that cannot be used is recorded in {@code rejected_message} with its
 * reason and answered REJECTED; it is acked, never requeued.
 */
final class SubmissionConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SubmissionConsumer.class);

    private record Item(Delivery delivery, Submission submission) {
    }

    private final TermContext ctx;
    private final long epoch;
    private final BrokerClients clients;
    private final SubmissionReader reader;
    private final Channel channel;
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private final int batchSize;

    SubmissionConsumer(TermContext ctx, long epoch) throws IOException {
        this.ctx = ctx;
        this.epoch = epoch;
        this.clients = ctx.db().brokerClients();
        this.reader = new SubmissionReader(ctx.codec(), ctx.config().cluster().maxPayloadBytes());
        this.batchSize = ctx.config().batchSize();
        this.channel = ctx.amqp().createChannel();
        channel.basicQos(2 * batchSize);
        DeliverCallback onDelivery = (tag, d) -> inbox.add(d);
        CancelCallback onCancel = tag -> log.warn("submissions consumer cancelled by the broker");
        channel.basicConsume(ctx.config().cluster().topology().submissionsQueue(), false,
                "rota-submissions-" + ctx.config().masterId(), onDelivery, onCancel);
    }

    void runOnce() throws InterruptedException {
        Delivery first = inbox.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        List<Delivery> batch = new ArrayList<>();
        batch.add(first);
        inbox.drainTo(batch, batchSize - 1);
        long lastTag = batch.get(batch.size() - 1).getEnvelope().getDeliveryTag();
        try {
            List<Item> valid = new ArrayList<>(batch.size());
            for (Delivery d : batch) {
                try {
                    valid.add(new Item(d, reader.read(d.getBody(), d.getProperties().getMessageId(),
                            traceparent(d.getProperties()), ctx.clock().instant())));
                } catch (MalformedMessageException e) {
                    reject(d, e.getMessage());
                }
            }
            List<SubmitResult> results = record(valid);
            for (int i = 0; i < valid.size(); i++) {
                answer(valid.get(i), results.get(i));
            }
        } catch (RuntimeException e) {
            nack(lastTag);
            throw e;
        }
        ack(lastTag);
    }

    /** One transaction for the batch; if it fails for another reason than fencing, one per submission. */
    private List<SubmitResult> record(List<Item> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<Submission> submissions = items.stream().map(Item::submission).toList();
        try {
            return clients.submit(epoch, submissions);
        } catch (FencedException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("a batch of {} submissions failed ({}); recording them one by one", items.size(), e.toString());
        }
        List<SubmitResult> out = new ArrayList<>(items.size());
        for (Submission s : submissions) {
            try {
                out.add(clients.submit(epoch, List.of(s)).get(0));
            } catch (FencedException e) {
                throw e;
            } catch (RuntimeException e) {
                out.add(new SubmitResult(SubmitStatus.REJECTED, null, "the database refused it: " + rootMessage(e)));
            }
        }
        return out;
    }

    private void answer(Item item, SubmitResult r) {
        String key = item.submission().task().idempotencyKey();
        if (r.status() == SubmitStatus.REJECTED) {
            reject(item.delivery(), r.reason());
            return;
        }
        ctx.emit(MasterEvent.SUBMISSION_ACCEPTED, r.run().id() + " " + r.status() + (key == null ? "" : " key " + key));
        reply(item.delivery(), SubmissionReply.of(SubmissionReply.Status.valueOf(r.status().name()), r.run().id(), key));
    }

    private void reject(Delivery d, String reason) {
        AMQP.BasicProperties p = d.getProperties();
        log.warn("rejecting a submission: {}", reason);
        clients.recordRejected(BrokerClients.Source.SUBMISSION, reason, d.getBody(), p.getCorrelationId(), p.getReplyTo());
        ctx.emit(MasterEvent.SUBMISSION_REJECTED, reason);
        reply(d, SubmissionReply.rejected(null, reason));
    }

    private void reply(Delivery d, SubmissionReply reply) {
        AMQP.BasicProperties p = d.getProperties();
        if (p.getReplyTo() == null || p.getReplyTo().isBlank()) {
            return;
        }
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .correlationId(p.getCorrelationId()).build();
        try {
            channel.basicPublish("", p.getReplyTo(), props, ctx.codec().encode(reply));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot reply to {}: {}", p.getReplyTo(), e.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private void ack(long tag) {
        try {
            channel.basicAck(tag, true);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot ack submissions up to {}: {} (they will be redelivered)", tag, e.toString());
        }
    }

    private void nack(long tag) {
        try {
            channel.basicNack(tag, true, true);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot requeue submissions up to {}: {}", tag, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing submissions channel: {}", e.toString());
        }
    }

    /** The W3C {@code traceparent} header of a message, or null. */
    private static String traceparent(com.rabbitmq.client.AMQP.BasicProperties props) {
        Object v = props.getHeaders() == null ? null : props.getHeaders().get("traceparent");
        return v == null ? null : v.toString();
    }
}
