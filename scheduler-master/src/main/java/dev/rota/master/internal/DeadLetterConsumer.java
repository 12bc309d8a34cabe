package dev.rota.master.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import dev.rota.db.FencedException;
import dev.rota.db.RunView;
import dev.rota.db.Runs.AttemptRef;
import dev.rota.master.MasterEvent;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.TaskMessage;
import dev.rota.model.Topology;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the dead-letter queue while this master leads. A task message lands there when a worker
 * rejected it (unreadable, oversized) or when RabbitMQ gave up after the delivery limit (a poison
 * message that keeps killing workers). Its run, if still in flight at that attempt, becomes DEAD;
 * the message is then moved to the parked queue for operators, and only then acked. A message whose
 * run cannot be updated while the database answers is parked with that failure as its reason, so it
 * cannot stall the queue; while the database is down it is returned to the queue.
 */
final class DeadLetterConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterConsumer.class);
    static final String REASON_HEADER = "rota-dead-letter-reason";

    private final TermContext ctx;
    private final long epoch;
    private final TaskPublisher publisher;
    private final Topology topology;
    private final Channel channel;
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();

    DeadLetterConsumer(TermContext ctx, long epoch, TaskPublisher publisher) throws IOException {
        this.ctx = ctx;
        this.epoch = epoch;
        this.publisher = publisher;
        this.topology = ctx.config().cluster().topology();
        this.channel = ctx.amqp().createChannel();
        channel.basicQos(100);
        DeliverCallback onDelivery = (tag, d) -> inbox.add(d);
        CancelCallback onCancel = tag -> log.warn("dead-letter consumer cancelled by the broker");
        channel.basicConsume(topology.deadLetterQueue(), false, "rota-dlq-" + ctx.config().masterId(), onDelivery, onCancel);
    }

    void runOnce() throws InterruptedException {
        Delivery d = inbox.poll(500, TimeUnit.MILLISECONDS);
        if (d == null) {
            return;
        }
        String reason = describe(d.getProperties());
        try {
            TaskMessage task = ctx.codec().decodeTask(d.getBody());
            List<RunView> dead = ctx.db().runs().markDeadLettered(epoch, List.of(new AttemptRef(task.runId(), task.attempt())),
                    "task message dead-lettered: " + reason);
            for (RunView run : dead) {
                log.warn("run {} attempt {} is DEAD: its message was dead-lettered ({})", run.id(), run.attempt(), reason);
                publisher.completionEvent(run);
                ctx.emit(MasterEvent.RUN_FINISHED, run.id() + " DEAD (dead-lettered: " + reason + ")",
                        TermContext.facts(run, dev.rota.master.EventFacts.Cause.DEAD_LETTERED));
            }
        } catch (MalformedMessageException e) {
            log.warn("unreadable message dead-lettered ({}): {}", reason, e.getMessage());
        } catch (FencedException e) {
            requeue(d);
            throw e;
        } catch (RuntimeException e) {
            if (!databaseAnswers()) {
                // The database is down, not the message at fault: keep it for a later try.
                requeue(d);
                throw e;
            }
            // This message alone fails: park it with the failure rather than retry it forever.
            reason = reason + "; its run could not be marked DEAD: " + e;
            log.warn("dead-lettered message not applied, parking it: {}", e.toString());
        }
        park(d, reason);
    }

    private void park(Delivery d, String reason) throws InterruptedException {
        Map<String, Object> headers = new HashMap<>();
        if (d.getProperties().getHeaders() != null) {
            headers.putAll(d.getProperties().getHeaders());
        }
        headers.put(REASON_HEADER, reason);
        try {
            publisher.park(topology.parkedQueue(), headers, d.getBody())
                    .get(ctx.config().timings().confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            channel.basicAck(d.getEnvelope().getDeliveryTag(), false);
            ctx.emit(MasterEvent.MESSAGE_PARKED, reason);
        } catch (java.util.concurrent.ExecutionException | TimeoutException | IOException e) {
            log.warn("cannot park a dead-lettered message ({}); it stays in {}", e.toString(), topology.deadLetterQueue());
            requeue(d);
        }
    }

    private void requeue(Delivery d) {
        try {
            channel.basicNack(d.getEnvelope().getDeliveryTag(), false, true);
        } catch (IOException | RuntimeException e) {
            log.debug("nack failed: {}", e.toString());
        }
    }

    private boolean databaseAnswers() {
        try {
            ctx.db().runs().now();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Why RabbitMQ dead-lettered it, from the first {@code x-death} entry, e.g. "delivery_limit from queue q". */
    static String describe(AMQP.BasicProperties props) {
        Map<String, Object> headers = props.getHeaders();
        Object deaths = headers == null ? null : headers.get("x-death");
        if (deaths instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> first) {
            return first.get("reason") + " from queue " + first.get("queue") + ", dead-lettered " + first.get("count") + " time(s)";
        }
        Object reason = headers == null ? null : headers.get("x-first-death-reason");
        return reason != null ? reason.toString() : "unknown reason";
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing dead-letter channel: {}", e.toString());
        }
    }
}
