package dev.rota.master.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.rota.db.BrokerClients.BrokerWorker;
import dev.rota.db.BrokerClients.WorkerState;
import dev.rota.messaging.TopologyDeclarer;
import dev.rota.model.BrokerSettings;
import dev.rota.model.ClusterSettings;
import dev.rota.model.CompletionEvent;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what a client without ZooKeeper relies on: the queue of every task type that enabled jobs and
 * broker workers name is declared before its first task (so a worker can declare it passively), and the
 * latest {@link BrokerSettings} sit in the settings queue and in the database (for the HTTP API). Runs on
 * the term's scheduler thread.
 */
final class BrokerSettingsKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerSettingsKeeper.class);

    private final TermContext ctx;
    private final TopologyDeclarer declarer;
    private final Channel channel;
    private final Set<String> declared = new HashSet<>();
    private final byte[] settings;
    private final long epoch;
    private boolean recorded;

    BrokerSettingsKeeper(TermContext ctx, long epoch) throws IOException {
        this.ctx = ctx;
        this.epoch = epoch;
        ClusterSettings cluster = ctx.config().cluster();
        this.declarer = new TopologyDeclarer(cluster);
        this.channel = ctx.amqp().createChannel();
        declarer.declareShared(channel);
        this.settings = ctx.codec().encode(BrokerSettings.of(cluster, ctx.config().timings().workerSilence(),
                BrokerWorkers.lostAfter(ctx.config()), CompletionEvent.MAX_RESULT_BYTES, declarer.taskQueueArguments()));
    }

    /**
     * Declares the queues of task types not declared yet in this term, and republishes the settings.
     *
     * @return whether it declared a queue (else the keeper may back off)
     */
    synchronized boolean runOnce() {
        if (!recorded) {
            // For every master's HTTP API (GET /api/v1/settings), once per term; fenced like every leader write.
            ctx.db().brokerClients().saveWorkerSettings(epoch, new String(settings, java.nio.charset.StandardCharsets.UTF_8));
            recorded = true;
        }
        // The distinct types only: loading every job here every 2 s cost the idle leader CPU and heap at scale.
        Set<String> types = new TreeSet<>(ctx.db().jobs().enabledTaskTypes());
        for (BrokerWorker w : ctx.db().brokerClients().workers()) {
            if (w.state() != WorkerState.LEFT && w.taskTypes() != null) {
                types.addAll(w.taskTypes());
            }
        }
        boolean declaredNew = declare(types);
        try {
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).type("rota.settings").build();
            channel.basicPublish("", ctx.config().cluster().topology().settingsQueue(), props, settings);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot declare queues or publish settings", e);
        }
        return declaredNew;
    }

    /**
     * Declares the queues of these task types, unless declared already in this term.
     *
     * @return whether it declared one
     */
    synchronized boolean declare(java.util.Collection<String> types) {
        boolean any = false;
        try {
            for (String type : types) {
                if (!declared.contains(type)) {
                    declarer.declareTaskQueue(channel, type);
                    declared.add(type);
                    any = true;
                }
            }
            return any;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot declare task queues " + types, e);
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing settings channel: {}", e.toString());
        }
    }
}
