package dev.rota.worker.internal;

import dev.rota.model.ResultMessage;
import dev.rota.model.TaskMessage;
import dev.rota.worker.WorkerEvent;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes results to the results queue through the results exchange, batched by a {@link ResultBatcher}.
 * Progress reports (STARTED, HEARTBEAT) are sent without waiting: losing one costs nothing. A final
 * result is retried until the broker confirms it, because the delivery may only be acknowledged after that.
 */
final class ResultPublisher {
    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    /** How long to wait for one confirm before publishing again; a duplicate result is harmless. */
    static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final ResultBatcher batcher;
    private final Backoff backoff;
    private final ShutdownSignal abandon;
    private final EventSink events;

    ResultPublisher(ResultBatcher batcher, Backoff backoff, ShutdownSignal abandon, EventSink events) {
        this.batcher = batcher;
        this.backoff = backoff;
        this.abandon = abandon;
        this.events = events;
    }

    /** Publishes without waiting for the confirm; a failure is only logged. Never blocks for long. */
    void publishProgress(ResultMessage result) {
        batcher.submit(result).whenComplete((ok, error) -> {
            if (error != null) {
                log.debug("{} of run {}:{} not published: {}", result.status(), result.runId(), result.attempt(),
                        error.toString());
            }
        });
    }

    /**
     * Publishes {@code result} until the broker confirms it, backing off between attempts.
     *
     * @return true once confirmed; false when the worker gave up on unfinished work first, or the
     *         thread was interrupted (its interrupt flag is then set again)
     */
    boolean publishConfirmed(TaskMessage task, ResultMessage result) {
        Duration delay = backoff.initial();
        try {
            while (!abandon.isRaised()) {
                try {
                    batcher.submit(result).get(DEFAULT_CONFIRM_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                    return true;
                } catch (ExecutionException | TimeoutException e) {
                    String cause = e instanceof ExecutionException ? String.valueOf(e.getCause()) : "no confirm within "
                            + DEFAULT_CONFIRM_TIMEOUT;
                    log.warn("{} of run {} not confirmed ({}); retrying in {} ms", result.status(),
                            task.idempotencyKey(), cause, delay.toMillis());
                    events.emit(WorkerEvent.RESULT_PUBLISH_RETRY, task, cause);
                }
                if (abandon.await(delay)) {
                    break;
                }
                delay = backoff.next(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
