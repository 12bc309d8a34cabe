package dev.rota.master.internal;

import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import dev.rota.db.Runs;
import dev.rota.db.Runs.ResultOutcome;
import dev.rota.master.EventFacts;
import dev.rota.master.MasterEvent;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.ResultBatch;
import dev.rota.model.ResultMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * thread. A message may carry one result or an array of them.
 *
 * <p>Messages are acked after their batch committed, so a crash redelivers them to the next leader, and
 * applying a result twice changes nothing. One bad message never stalls the rest: an unreadable one,
 * or one that PostgreSQL refuses (the batch is {@linkplain BatchIsolator split} until it is found), is
 * stored in {@code parked_message} with its reason and acked with the others. When the database itself
 * is down, the batch is kept unacked in memory and retried, so its delivery count does not grow.
 *
 * <p>A result whose run row another transaction holds for longer than {@code resultLockWait} comes back
 * {@linkplain Runs.ResultKind#BUSY busy}: it is set aside, unacked, and tried again with a growing pause
 * while the rest flow on. A held row is not poison, so it is never parked.
 */
final class ResultConsumer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultConsumer.class);

    /** @param sender the AMQP {@code user_id} RabbitMQ validated against the publisher's connection, or null */
    private record Delivery(long tag, byte[] body, String sender) {
    }

    /** One result, the bytes to park if it fails alone, and the delivery that brought it. */
    private record Item(ResultMessage result, byte[] body, long tag) {
    }

    /** The longest pause between two tries of a result whose run row stays held. */
    static final Duration MAX_BUSY_PAUSE = Duration.ofSeconds(5);

    private final TermContext ctx;
    private final long epoch;
    private final TaskPublisher publisher;
    private final Channel channel;
    private final String queue;
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private final int batchSize;
    private final Duration lockWait;
    /** A batch not yet acked, kept across failed iterations; its items once decoded (parked only once). */
    private List<Delivery> held = List.of();
    private List<Item> heldItems;
    /** Results whose run row was held elsewhere, their deliveries unacked, tried again at {@link #retryAt}. */
    private final List<Item> busy = new ArrayList<>();
    private long retryAt;
    private Duration busyPause;

    ResultConsumer(TermContext ctx, long epoch, TaskPublisher publisher) throws IOException {
        this.ctx = ctx;
        this.epoch = epoch;
        this.publisher = publisher;
        this.batchSize = ctx.config().batchSize();
        this.lockWait = ctx.config().timings().resultLockWait();
        this.queue = ctx.config().cluster().topology().resultsQueue();
        this.channel = ctx.amqp().createChannel();
        channel.basicQos(2 * batchSize);
        DeliverCallback onDelivery = (tag, d) -> inbox.add(new Delivery(d.getEnvelope().getDeliveryTag(), d.getBody(),
                d.getProperties().getUserId()));
        CancelCallback onCancel = tag -> log.warn("results consumer cancelled by the broker");
        channel.basicConsume(queue, false, "rota-leader-" + ctx.config().masterId(), onDelivery, onCancel);
    }

    void runOnce() throws InterruptedException {
        if (!busy.isEmpty() && System.nanoTime() - retryAt >= 0) {
            retryBusy();
        }
        if (held.isEmpty()) {
            held = poll();
            heldItems = null;
        }
        List<Delivery> batch = held;
        if (batch.isEmpty()) {
            return;
        }
        if (heldItems == null) {
            heldItems = decode(batch);
        }
        List<Item> items = heldItems;
        long began = System.nanoTime();
        List<Item> applied = new ArrayList<>(items.size());
        List<ResultOutcome> outcomes = apply(items, applied);
        held = List.of();
        heldItems = null;
        boolean wasClear = busy.isEmpty();
        setAside(items, applied, true);
        if (wasClear && busy.isEmpty()) {
            ack(batch.get(batch.size() - 1).tag(), true);
        } else {
            batch.forEach(d -> ackUnlessWaiting(d.tag()));
        }
        if (!applied.isEmpty()) {
            ctx.emit(MasterEvent.RESULT_BATCH, applied.size() + " results",
                    new EventFacts.Batch(applied.size(), Duration.ofNanos(System.nanoTime() - began)));
        }
        outcomes.forEach(this::report);
    }

    /** Applies what it can; fills {@code done} with the items that are no longer owed (applied or parked). */
    private List<ResultOutcome> apply(List<Item> items, List<Item> done) {
        List<Item> parked = new ArrayList<>();
        List<ResultOutcome> outcomes = new ArrayList<>();
        java.util.Map<ResultMessage, Item> byResult = new java.util.IdentityHashMap<>();
        items.forEach(i -> byResult.put(i.result(), i));
        for (ResultOutcome o : BatchIsolator.apply(items,
                some -> ctx.db().runs().applyResults(epoch, some.stream().map(Item::result).toList(),
                        ctx.config().timings().deadlineGrace(), lockWait),
                (item, cause) -> {
                    parked.add(item);
                    park(item.body(), "PostgreSQL refused result " + item.result().runId() + ":"
                            + item.result().attempt() + ": " + cause);
                }, this::databaseAnswers)) {
            if (o.kind() != Runs.ResultKind.BUSY) {
                outcomes.add(o);
                done.add(byResult.get(o.result()));
            }
        }
        done.addAll(parked);
        return outcomes;
    }

    /** Keeps the items of {@code tried} that are not {@code done} for a later try, with a growing pause. */
    private void setAside(List<Item> tried, List<Item> done, boolean firstTry) {
        java.util.Set<Item> finished = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        finished.addAll(done);
        List<Item> stillBusy = tried.stream().filter(i -> !finished.contains(i)).toList();
        if (stillBusy.isEmpty()) {
            return;
        }
        for (Item i : firstTry ? stillBusy : List.<Item>of()) {
            log.warn("result {}:{} {} set aside: run {}'s row is held by another transaction for over {} ms;"
                    + " other results go on", i.result().runId(), i.result().attempt(), i.result().status(),
                    i.result().runId(), lockWait.toMillis());
        }
        busy.addAll(stillBusy);
        busyPause = busyPause == null ? lockWait : min(busyPause.multipliedBy(2), MAX_BUSY_PAUSE);
        retryAt = System.nanoTime() + busyPause.toNanos();
    }

    private void retryBusy() {
        List<Item> tried = List.copyOf(busy);
        List<Item> done = new ArrayList<>();
        List<ResultOutcome> outcomes = apply(tried, done);
        busy.clear();
        setAside(tried, done, false);
        if (busy.isEmpty()) {
            busyPause = null;
        }
        done.stream().map(Item::tag).distinct().forEach(this::ackUnlessWaiting);
        outcomes.forEach(this::report);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Acks one delivery unless a result it brought is still set aside. */
    private void ackUnlessWaiting(long tag) {
        if (busy.stream().noneMatch(i -> i.tag() == tag)) {
            ack(tag, false);
        }
    }

    private List<Delivery> poll() throws InterruptedException {
        Delivery first = inbox.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Delivery> batch = new ArrayList<>();
        batch.add(first);
        inbox.drainTo(batch, batchSize - 1);
        return batch;
    }

    /** Readable results in order; what cannot be read is parked (a failure to park keeps the batch). */
    private List<Item> decode(List<Delivery> batch) {
        List<Item> items = new ArrayList<>();
        for (Delivery d : batch) {
            try {
                ResultBatch decoded = ctx.codec().decodeResultBatch(d.body());
                boolean single = decoded.results().size() == 1 && decoded.rejected().isEmpty();
                for (ResultMessage r : decoded.results()) {
                    items.add(new Item(r.withSender(d.sender()), single ? d.body() : ctx.codec().encode(r), d.tag()));
                }
                for (ResultBatch.Rejected r : decoded.rejected()) {
                    malformed(r.json().getBytes(StandardCharsets.UTF_8), r.reason());
                }
            } catch (MalformedMessageException e) {
                malformed(d.body(), e.getMessage());
            }
        }
        return items;
    }

    private void malformed(byte[] body, String reason) {
        log.warn("parking a malformed message from the results queue: {}", reason);
        ctx.emit(MasterEvent.RESULT_MALFORMED, reason);
        park(body, "malformed result: " + reason);
    }

    private void park(byte[] body, String reason) {
        long id = ctx.db().parked().park(queue, reason, body);
        log.warn("parked message {} from {}: {}", id, queue, reason);
        ctx.emit(MasterEvent.MESSAGE_PARKED, "parked_message " + id + ": " + reason);
    }

    private boolean databaseAnswers() {
        try {
            ctx.db().runs().now();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void report(ResultOutcome o) {
        ResultMessage m = o.result();
        switch (o.kind()) {
            case APPLIED -> {
                ctx.emit(MasterEvent.RESULT_APPLIED, m.runId() + ":" + m.attempt() + " " + m.status() + " by " + m.workerId());
                if (o.run().state().isFinal()) {
                    publisher.completionEvent(o.run());
                    ctx.emit(MasterEvent.RUN_FINISHED, o.run().id() + " " + o.run().state() + " on " + o.run().workerId(),
                            TermContext.facts(o.run(), EventFacts.Cause.RESULT));
                } else if (o.run().state() == dev.rota.model.RunState.SCHEDULED) {
                    publisher.completionEvent(o.run());
                    ctx.emit(MasterEvent.RUN_RESCHEDULED, o.run().id() + " retry due " + o.run().dueAt(),
                            TermContext.facts(o.run(), EventFacts.Cause.RESULT));
                } else if (m.status() == dev.rota.model.ResultStatus.STARTED) {
                    ctx.emit(MasterEvent.RUN_STARTED, m.runId() + ":" + m.attempt(),
                            TermContext.facts(o.run(), EventFacts.Cause.RESULT));
                }
            }
            case STALE, UNKNOWN -> ctx.emit(MasterEvent.RESULT_STALE,
                    m.runId() + ":" + m.attempt() + " " + m.status() + " by " + m.workerId());
            case FORGED -> {
                log.warn("refused a forged result: {}:{} {} sent by {} for an attempt another identity started",
                        m.runId(), m.attempt(), m.status(), m.sender());
                ctx.emit(MasterEvent.RESULT_FORGED,
                        m.runId() + ":" + m.attempt() + " " + m.status() + " sent by " + m.sender());
            }
        }
    }

    private void ack(long tag, boolean upTo) {
        try {
            channel.basicAck(tag, upTo);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot ack results up to {}: {} (they will be redelivered and found stale)", tag, e.toString());
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
