package dev.rota.master.internal;

import com.rabbitmq.client.Channel;
import dev.rota.db.RunView;
import dev.rota.db.Runs.AttemptRef;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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

    /** A publish outcome: the attempts the broker confirmed, and the runs whose payload is too large. */
    record Published(List<AttemptRef> confirmed, List<RunView> oversized) {
    }

    /**
     * Publishes one message per run and waits (bounded) for the confirms. Unconfirmed ones stay
     * unpublished in the database, for the outbox to retry.
     */
    Published publish(List<RunView> runs) throws InterruptedException {
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
                futures.add(publisher.publish(topology.taskExchange(), run.taskType(), body));
                sent.add(run);
            } catch (IOException | MalformedMessageException | RuntimeException e) {
                log.warn("cannot publish run {} attempt {}: {}", run.id(), run.attempt(), e.toString());
                ctx.emit(MasterEvent.TASK_PUBLISH_FAILED, run.id() + ":" + run.attempt() + " " + e.getMessage());
            }
        }
        long deadline = System.nanoTime() + ctx.config().timings().confirmTimeout().toNanos();
        List<AttemptRef> confirmed = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            RunView run = sent.get(i);
            try {
                futures.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                confirmed.add(new AttemptRef(run.id(), run.attempt()));
                ctx.emit(MasterEvent.TASK_PUBLISHED, run.id() + ":" + run.attempt());
            } catch (ExecutionException | TimeoutException e) {
                String why = e instanceof ExecutionException ? e.getCause().getMessage() : "no confirm in time";
                log.warn("task message for run {} attempt {} not confirmed ({}); the outbox will republish it",
                        run.id(), run.attempt(), why);
                ctx.emit(MasterEvent.TASK_PUBLISH_FAILED, run.id() + ":" + run.attempt() + " " + why);
            }
        }
        return new Published(confirmed, oversized);
    }

    private TaskMessage toMessage(RunView run) throws MalformedMessageException {
        return new TaskMessage(TaskMessage.CURRENT_VERSION, run.id(), run.attempt(), run.jobId(), run.jobName(),
                run.team(), run.taskType(), run.scheduledAt(), run.dispatchedAt(), run.timeout(),
                ctx.codec().readTree(run.payload()));
    }

    private void ensureQueue(String taskType) throws IOException {
        if (!declaredTypes.contains(taskType)) {
            declarer.declareTaskQueue(declareChannel, taskType);
            declaredTypes.add(taskType);
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
