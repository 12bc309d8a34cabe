package dev.rota.worker.internal;

import dev.rota.model.ClusterSettings;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import dev.rota.worker.TaskHandler;
import dev.rota.worker.WorkerEvent;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one task delivery from arrival to acknowledgement, on a task thread: checks and decodes it,
 * reports it SKIPPED instead of running it when it arrived after its starting deadline, runs its handler,
 * publishes the final result, and acknowledges only once that result is confirmed. The task thread does not
 * wait for that confirm: it returns to take the next delivery, and the acknowledgement follows from the
 * confirm (see {@link ResultPublisher#publishFinal}). A delivery that cannot be settled that way (the worker
 * gave up on it while closing) is left unacknowledged, and the broker redelivers it when the connection closes.
 */
final class DeliveryProcessor {
    private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);

    private final TaskServices services;
    private final ClusterSettings settings;
    private final Map<String, TaskHandler> handlers;
    private final TaskRunner runner;
    private final Acknowledger acknowledger;
    private final BooleanSupplier draining;

    DeliveryProcessor(TaskServices services, ClusterSettings settings, Map<String, TaskHandler> handlers,
            TaskRunner runner, Acknowledger acknowledger, BooleanSupplier draining) {
        this.services = services;
        this.settings = settings;
        this.handlers = Map.copyOf(handlers);
        this.runner = runner;
        this.acknowledger = acknowledger;
        this.draining = draining;
    }

    /** Runs on a task thread; never throws. */
    void process(long deliveryTag, byte[] body) {
        try {
            handle(deliveryTag, body);
        } catch (RuntimeException e) {
            // A bug here must not hold the delivery (and a prefetch slot) until the connection closes;
            // a quorum queue's delivery limit stops a message that fails this way every time.
            log.error("processing delivery {} failed; returning it to the queue", deliveryTag, e);
            acknowledger.requeue(deliveryTag);
        }
    }

    private void handle(long deliveryTag, byte[] body) {
        if (body.length > settings.maxPayloadBytes()) {
            deadLetter(deliveryTag, "message of " + body.length + " bytes exceeds maxPayloadBytes "
                    + settings.maxPayloadBytes());
            return;
        }
        TaskMessage task;
        try {
            task = services.codec().decodeTask(body);
        } catch (MalformedMessageException e) {
            deadLetter(deliveryTag, e.getMessage());
            return;
        }
        services.events().emit(WorkerEvent.TASK_RECEIVED, task);
        if (draining.getAsBoolean()) {
            log.info("run {} not started: worker is closing; returned to the queue", task.idempotencyKey());
            acknowledger.requeue(deliveryTag);
            services.events().emit(WorkerEvent.TASK_ABANDONED, task, "not started: worker closing");
            return;
        }
        java.time.Instant now = services.clock().instant();
        if (task.isPastStartBy(now)) {
            skip(deliveryTag, task, now);
            return;
        }
        TaskHandler handler = handlers.get(task.taskType());
        if (handler == null) {
            reject(deliveryTag, task);
            return;
        }
        ResultMessage result = runner.run(task, handler);
        if (result == null) {
            abandoned(task, "interrupted: worker closing");
        } else {
            ackWhenConfirmed(deliveryTag, task, result);
        }
    }

    /** Acknowledges the delivery once {@code result} is confirmed; returns at once. */
    private void ackWhenConfirmed(long deliveryTag, TaskMessage task, ResultMessage result) {
        services.results().publishFinal(task, result).thenAccept(confirmed -> {
            if (confirmed) {
                acknowledger.ack(deliveryTag);
                services.events().emit(WorkerEvent.TASK_ACKED, task, result.status().name());
            } else {
                abandoned(task, result.status() + " not confirmed before the worker closed");
            }
        }).exceptionally(e -> {
            log.error("settling delivery {} of run {} failed; the broker will redeliver it when the worker"
                    + " disconnects", deliveryTag, task.idempotencyKey(), e);
            return null;
        });
    }

    private void reject(long deliveryTag, TaskMessage task) {
        String reason = "no handler for task type '" + task.taskType() + "' on worker " + services.workerId();
        log.warn("run {} rejected: {}", task.idempotencyKey(), reason);
        services.events().emit(WorkerEvent.TASK_REJECTED, task, reason);
        if (services.results().publishConfirmed(task, services.result(task, ResultStatus.REJECTED, reason, null))) {
            acknowledger.deadLetter(deliveryTag);
        } else {
            abandoned(task, "REJECTED not confirmed before the worker closed");
        }
    }

    /** Too late to start: reported instead of run, so that a backlog does not run hours late. */
    private void skip(long deliveryTag, TaskMessage task, java.time.Instant now) {
        String reason = "received " + java.time.Duration.between(task.startBy(), now).toMillis()
                + " ms after its starting deadline " + task.startBy();
        log.info("run {} ({}) not started: {}", task.idempotencyKey(), task.taskType(), reason);
        services.events().emit(WorkerEvent.TASK_SKIPPED, task, reason);
        ackWhenConfirmed(deliveryTag, task, services.result(task, ResultStatus.SKIPPED, reason, null));
    }

    private void deadLetter(long deliveryTag, String reason) {
        log.warn("dead-lettering an unusable task message: {}", reason);
        acknowledger.deadLetter(deliveryTag);
        services.events().emit(WorkerEvent.MESSAGE_DEAD_LETTERED, null, reason);
    }

    private void abandoned(TaskMessage task, String reason) {
        log.info("run {} abandoned ({}); the broker will redeliver it", task.idempotencyKey(), reason);
        services.events().emit(WorkerEvent.TASK_ABANDONED, task, reason);
    }
}
