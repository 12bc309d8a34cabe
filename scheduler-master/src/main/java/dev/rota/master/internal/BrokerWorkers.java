package dev.rota.master.internal;

import com.rabbitmq.client.CancelCallback;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DeliverCallback;
import com.rabbitmq.client.Delivery;
import dev.rota.db.BrokerClients;
import dev.rota.db.BrokerClients.BrokerWorker;
import dev.rota.db.BrokerClients.WorkerState;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.WorkerAnnouncement;
import dev.rota.registry.WorkerInfo;
import dev.rota.registry.WorkerListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers that join with only the broker: consumes their announcements and heartbeats from the workers
 * queue, records them in {@code broker_worker}, and tells the term's {@link WorkerListener} (the sweeper)
 * when one joins or is lost, exactly as the ZooKeeper registry does for a worker's node. A worker silent for
 * the silence limit is LOST (its running tasks are dispatched again after the lost-worker grace), unless it
 * declared {@code heartbeatsWhileRunning=false}: it then becomes SILENT, and its tasks are left to broker
 * redelivery and their timeout. Silence is judged only once the term is older than the limit, as heartbeats
 * sent while no leader consumed them were not recorded. Runs on the term's broker-workers thread.
 */
final class BrokerWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerWorkers.class);

    private final TermContext ctx;
    private final BrokerClients clients;
    private final WorkerListener listener;
    private final Consumer<Set<String>> declareQueues;
    private final Duration silence;
    private final Instant termStart;
    private final Channel channel;
    private final LinkedBlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();

    /** @param declareQueues declares the queues of an announced worker's task types before its ANNOUNCE is acked */
    BrokerWorkers(TermContext ctx, WorkerListener listener, Consumer<Set<String>> declareQueues) throws IOException {
        this.ctx = ctx;
        this.declareQueues = declareQueues;
        this.clients = ctx.db().brokerClients();
        this.listener = listener;
        this.silence = lostAfter(ctx.config());
        this.termStart = ctx.clock().instant();
        this.channel = ctx.amqp().createChannel();
        channel.basicQos(100);
        DeliverCallback onDelivery = (tag, d) -> inbox.add(d);
        CancelCallback onCancel = tag -> log.warn("workers consumer cancelled by the broker");
        channel.basicConsume(ctx.config().cluster().topology().workersQueue(), false,
                "rota-workers-" + ctx.config().masterId(), onDelivery, onCancel);
    }

    /** Handles the announcements that arrived (waiting up to 500 ms for the first). */
    void runOnce() throws InterruptedException {
        Delivery d = inbox.poll(500, TimeUnit.MILLISECONDS);
        while (d != null) {
            handle(d);
            d = inbox.poll();
        }
    }

    private void handle(Delivery d) {
        try {
            WorkerAnnouncement a = ctx.codec().decode(d.getBody(), WorkerAnnouncement.class);
            a.validate();
            if (a.type() == WorkerAnnouncement.Type.LEAVE) {
                left(a.workerId(), "said LEAVE");
            } else {
                if (a.taskTypes() != null) {
                    declareQueues.accept(a.taskTypes());
                }
                BrokerWorker w = new BrokerWorker(a.workerId(), a.taskTypes(), a.capacity(), a.workerVersion(),
                        a.language(), a.heartbeatsWhileRunningOrDefault(), WorkerState.ALIVE, null, null);
                WorkerState before = clients.heard(w);
                if (before == null || before == WorkerState.LEFT || before == WorkerState.LOST) {
                    log.info("broker worker {} ({}) joined: {}", a.workerId(), a.language(), a.taskTypes());
                    listener.workerJoined(info(w));
                }
            }
        } catch (MalformedMessageException e) {
            log.warn("rejecting a worker announcement: {}", e.getMessage());
            clients.recordRejected(BrokerClients.Source.WORKER, e.getMessage(), d.getBody(),
                    d.getProperties().getCorrelationId(), d.getProperties().getReplyTo());
        }
        try {
            channel.basicAck(d.getEnvelope().getDeliveryTag(), false);
        } catch (IOException | RuntimeException e) {
            log.debug("cannot ack an announcement: {}", e.toString());
        }
    }

    /**
     * Declares silent workers lost (or SILENT); called on the term's scheduler thread.
     *
     * @return whether any broker worker is alive (watch it at the interval), else the sweep may back off
     */
    boolean sweep() {
        Instant now = ctx.clock().instant();
        if (termStart.plus(silence).isAfter(now)) {
            return true;
        }
        java.util.List<BrokerWorker> alive = clients.workers().stream().filter(w -> w.state() == WorkerState.ALIVE).toList();
        if (alive.isEmpty()) {
            return false;
        }
        Instant dbNow = ctx.db().runs().now();
        for (BrokerWorker w : alive) {
            if (w.lastSeenAt().plus(silence).isAfter(dbNow)) {
                continue;
            }
            if (!w.heartbeatsWhileRunning()) {
                if (clients.transition(w.id(), WorkerState.ALIVE, WorkerState.SILENT)) {
                    log.info("broker worker {} is silent; it does not heartbeat while running, so its tasks are left to"
                            + " redelivery and their timeout", w.id());
                }
            } else if (clients.transition(w.id(), WorkerState.ALIVE, WorkerState.LOST)) {
                log.info("broker worker {} silent for {} ms: lost", w.id(), silence.toMillis());
                listener.workerLeft(info(w));
            }
        }
        return true;
    }

    private void left(String id, String why) {
        for (WorkerState from : new WorkerState[] {WorkerState.ALIVE, WorkerState.SILENT}) {
            if (clients.transition(id, from, WorkerState.LEFT)) {
                log.info("broker worker {} left: {}", id, why);
                clients.workers().stream().filter(w -> w.id().equals(id)).findFirst()
                        .ifPresent(w -> listener.workerLeft(info(w)));
                return;
            }
        }
    }

    private static WorkerInfo info(BrokerWorker w) {
        return new WorkerInfo(w.id(), "broker:" + (w.language() == null ? "unknown" : w.language()),
                w.taskTypes() == null ? Set.of() : w.taskTypes(), w.capacity(), w.workerVersion(), w.announcedAt());
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing workers channel: {}", e.toString());
        }
    }

    /**
     * How long a broker worker may be silent before it is LOST: the masters' ZooKeeper session timeout, the
     * time after which a JVM worker that died loses its node. A running attempt's own silence limit
     * ({@code workerSilence}, 30 s by default) stays longer, as heartbeats of tasks wait behind results.
     */
    static java.time.Duration lostAfter(dev.rota.master.MasterConfig config) {
        return config.registry().sessionTimeout();
    }
}
