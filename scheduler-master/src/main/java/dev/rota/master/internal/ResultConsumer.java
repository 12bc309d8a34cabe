package dev.rota.master.internal;

import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import dev.rota.db.Runs;
import dev.rota.db.Runs.ResultOutcome;
import dev.rota.master.MasterEvent;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.ResultMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the results queue while this master leads, and applies results in batches (one fenced
 * transaction each). The RabbitMQ callback only enqueues; the work happens on the term's results
 * thread. Messages are acked after their batch committed, so a crash redelivers them to the next
 * leader, and applying a result twice changes nothing.
 */
final class ResultConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultConsumer.class);

    private record Delivery(long tag, byte[] body) {
    }

    private final TermContext ctx;
    private final long epoch;
    private final TaskPublisher publisher;
    private final Channel channel;
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private final int batchSize;

    ResultConsumer(TermContext ctx, long epoch, TaskPublisher publisher) throws IOException {
        this.ctx = ctx;
        this.epoch = epoch;
        this.publisher = publisher;
        this.batchSize = ctx.config().batchSize();
        this.channel = ctx.amqp().createChannel();
        channel.basicQos(2 * batchSize);
        DeliverCallback onDelivery = (tag, d) -> inbox.add(new Delivery(d.getEnvelope().getDeliveryTag(), d.getBody()));
        CancelCallback onCancel = tag -> log.warn("results consumer cancelled by the broker");
        channel.basicConsume(ctx.config().cluster().topology().resultsQueue(), false, "rota-leader-" + ctx.config().masterId(),
                onDelivery, onCancel);
    }

    void runOnce() throws InterruptedException {
        Delivery first = inbox.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        List<Delivery> batch = new ArrayList<>();
        batch.add(first);
        inbox.drainTo(batch, batchSize - 1);
        List<ResultMessage> results = new ArrayList<>(batch.size());
        for (Delivery d : batch) {
            try {
                results.add(ctx.codec().decodeResult(d.body()));
            } catch (MalformedMessageException e) {
                log.warn("dropping malformed message on the results queue: {}", e.getMessage());
                ctx.emit(MasterEvent.RESULT_MALFORMED, e.getMessage());
            }
        }
        long lastTag = batch.get(batch.size() - 1).tag();
        List<ResultOutcome> outcomes;
        try {
            outcomes = ctx.db().runs().applyResults(epoch, results, ctx.config().timings().deadlineGrace());
        } catch (RuntimeException e) {
            requeue(lastTag);
            throw e;
        }
        ack(lastTag);
        for (ResultOutcome o : outcomes) {
            report(o);
        }
    }

    private void report(ResultOutcome o) {
        ResultMessage m = o.result();
        switch (o.kind()) {
            case APPLIED -> {
                ctx.emit(MasterEvent.RESULT_APPLIED, m.runId() + ":" + m.attempt() + " " + m.status() + " by " + m.workerId());
                if (o.run().state().isFinal()) {
                    publisher.completionEvent(o.run());
                    ctx.emit(MasterEvent.RUN_FINISHED, o.run().id() + " " + o.run().state() + " on " + o.run().workerId());
                } else if (o.run().state() == dev.rota.model.RunState.SCHEDULED) {
                    publisher.completionEvent(o.run());
                    ctx.emit(MasterEvent.RUN_RESCHEDULED, o.run().id() + " retry due " + o.run().dueAt());
                }
            }
            case STALE, UNKNOWN -> ctx.emit(MasterEvent.RESULT_STALE,
                    m.runId() + ":" + m.attempt() + " " + m.status() + " by " + m.workerId());
        }
    }

    private void ack(long tag) {
        try {
            channel.basicAck(tag, true);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot ack results up to {}: {} (they will be redelivered and found stale)", tag, e.toString());
        }
    }

    private void requeue(long tag) {
        try {
            channel.basicNack(tag, true, true);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot requeue results up to {}: {}", tag, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing results channel: {}", e.toString());
        }
    }
}
