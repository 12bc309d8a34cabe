package dev.rota.master.internal;

import com.rabbitmq.client.Channel;
import dev.rota.db.RunView;
import dev.rota.master.MasterEvent;
import dev.rota.messaging.ConfirmingPublisher;
import dev.rota.messaging.TopologyDeclarer;
import dev.rota.model.ClusterSettings;
import dev.rota.model.CompletionEvent;
import dev.rota.model.ControlMessage;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.TaskMessage;
import dev.rota.model.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns runs into task messages on the broker, and sends completion events and cancel requests. The
 * only place in the master that publishes; it declares each task type's queue before the first
 * publish so that tasks wait in a durable queue for workers that have not joined yet.
 */
final class TaskPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskPublisher.class);

    private final TermContext ctx;
    private final ClusterSettings settings;
    private final Topology topology;
    private final ConfirmingPublisher publisher;
    private final Channel declareChannel;
    private final TopologyDeclarer declarer;
    private final Set<String> declaredTypes = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    TaskPublisher(TermContext ctx) throws IOException {
        this.ctx = ctx;
        this.settings = ctx.config().cluster();
        this.topology = settings.topology();
        this.clock = ctx.clock();
        this.publisher = new ConfirmingPublisher(ctx.amqp());
        this.declareChannel = ctx.amqp().createChannel();
        this.declarer = new TopologyDeclarer(settings);
        declarer.declareShared(declareChannel);
    }

    /**
     * What {@link #send} did: the runs whose message went out, each with the future of its broker
     * confirm (same order), and the runs whose payload is over the cluster's limit (not sent).
     */
    record Sent(List<RunView> runs, List<CompletableFuture<Void>> confirms, List<RunView> oversized) {
    }

    /**
     * Publishes one message per run and returns without waiting for the confirms. A message that could
     * not even be handed to the channel is left out of {@link Sent#runs()}: its run stays unpublished in
     * the database, for the outbox to retry.
     */
    Sent send(List<RunView> runs) {
        List<RunView> sent = new ArrayList<>(runs.size());
        List<CompletableFuture<Void>> futures = new ArrayList<>(runs.size());
        List<RunView> oversized = new ArrayList<>();
        for (RunView run : runs) {
            byte[] payload = run.payload().getBytes(StandardCharsets.UTF_8);
            if (payload.length > settings.maxPayloadBytes()) {
                oversized.add(run);
                continue;
            }
            try {
                byte[] body = ctx.codec().encode(toMessage(run));
                ensureQueue(run.taskType());
                futures.add(run.traceparent() == null
                        ? publisher.publish(topology.taskExchange(), run.taskType(), body)
                        // Also as a header, where AMQP instrumentation (OpenTelemetry's among others) looks for it.
                        : publisher.publish(topology.taskExchange(), run.taskType(),
                                java.util.Map.of("traceparent", run.traceparent()), body, true));
                sent.add(run);
            } catch (IOException | MalformedMessageException | RuntimeException e) {
                log.warn("cannot publish run {} attempt {}: {}", run.id(), run.attempt(), e.toString());
                ctx.emit(MasterEvent.TASK_PUBLISH_FAILED, run.id() + ":" + run.attempt() + " " + e.getMessage());
            }
        }
        return new Sent(sent, futures, oversized);
    }

    private TaskMessage toMessage(RunView run) throws MalformedMessageException {
        return new TaskMessage(TaskMessage.CURRENT_VERSION, run.id(), run.attempt(), run.jobId(), run.jobName(),
                run.team(), run.taskType(), run.scheduledAt(), run.dispatchedAt(), run.timeout(),
                ctx.codec().readTree(run.payload()), run.startBy(), run.traceparent());
    }

    private void ensureQueue(String taskType) throws IOException {
        if (!declaredTypes.contains(taskType)) {
            declarer.declareTaskQueue(declareChannel, taskType);
            declaredTypes.add(taskType);
        }
    }

    /**
     * Declares the queues of task types a worker announced, so that a worker whose broker user may not
     * declare queues finds them. A failure is logged: the queue is declared again before the first
     * task of its type is published.
     */
    void declareQueues(java.util.Set<String> taskTypes) {
        for (String type : taskTypes) {
            try {
                ensureQueue(type);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot declare the task queue of {}: {}", type, e.toString());
            }
        }
    }

    /** Publishes a completion event; not awaited (events are for others to react to, at least once). */
    void completionEvent(RunView run) {
        CompletionEvent event = CompletionEvents.of(run, clock.instant(), topology.namespace());
        publisher.publish(topology.eventsExchange(), Topology.eventRoutingKey(run.team(), run.taskType(), run.state()),
                Map.of(), ctx.codec().encode(event), false);
    }

    /** Moves a dead-lettered message to the parked queue; the future completes on the broker's confirm. */
    CompletableFuture<Void> park(String queue, Map<String, Object> headers, byte[] body) {
        return publisher.publish("", queue, headers, body, true);
    }

    /** Asks every worker to interrupt this attempt; not awaited. */
    void cancel(RunView run) {
        publisher.publish(topology.controlExchange(), "", Map.of(),
                ctx.codec().encode(new ControlMessage(ControlMessage.Type.CANCEL, run.id(), run.attempt())), false);
    }

    @Override
    public void close() {
        publisher.close();
        try {
            if (declareChannel.isOpen()) {
                declareChannel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.debug("closing declare channel: {}", e.toString());
        }
    }
}
