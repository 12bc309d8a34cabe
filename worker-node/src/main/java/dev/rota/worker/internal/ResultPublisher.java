package dev.rota.worker.internal;

import dev.rota.model.ResultMessage;
import dev.rota.model.TaskMessage;
import dev.rota.worker.WorkerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes results to the results queue through the results exchange, batched by a {@link ResultBatcher}.
 * Progress reports (STARTED, HEARTBEAT) are sent without waiting: losing one costs nothing. A final
 * result is retried until the broker confirms it, because the delivery may only be acknowledged after that.
 *
 * <p>{@link #publishFinal} does that without holding the task thread: the thread takes its next delivery
 * while the result waits for its batch's confirm, and the delivery is acknowledged from the confirm.
 * {@link #awaitSettled} lets a closing worker wait for those results before it disconnects.
 */
final class ResultPublisher {
    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    /** How long to wait for one confirm before publishing again; a duplicate result is harmless. */
    static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final ResultBatcher batcher;
    private final Backoff backoff;
    private final ShutdownSignal abandon;
    private final EventSink events;
    private final ScheduledExecutorService retries;
    /** Final results handed to {@link #publishFinal} and not yet confirmed or given up. */
    private final java.util.Set<CompletableFuture<Boolean>> unsettled = new java.util.HashSet<>();

    ResultPublisher(ResultBatcher batcher, Backoff backoff, ShutdownSignal abandon, EventSink events,
            ScheduledExecutorService retries) {
        this.batcher = batcher;
        this.backoff = backoff;
        this.abandon = abandon;
        this.events = events;
        this.retries = retries;
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

    /**
     * Publishes a final result until the broker confirms it, without blocking: retries back off on the
     * retry scheduler. The future completes with true once confirmed, or false once the worker gives up
     * on unfinished work ({@link ShutdownSignal}); it never completes exceptionally. Its dependents run on
     * the retry scheduler, never on a RabbitMQ client thread.
     */
    CompletableFuture<Boolean> publishFinal(TaskMessage task, ResultMessage result) {
        CompletableFuture<Boolean> settled = new CompletableFuture<>();
        synchronized (this) {
            unsettled.add(settled);
        }
        settled.whenComplete((ok, error) -> {
            synchronized (this) {
                unsettled.remove(settled);
                notifyAll();
            }
        });
        attempt(task, result, backoff.initial(), settled);
        return settled;
    }

    private void attempt(TaskMessage task, ResultMessage result, Duration delay, CompletableFuture<Boolean> settled) {
        if (abandon.isRaised()) {
            settled.complete(false);
            return;
        }
        batcher.submit(result).orTimeout(DEFAULT_CONFIRM_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((ok, error) -> {
                    try {
                        if (error == null) {
                            retries.execute(() -> settled.complete(true));
                            return;
                        }
                        String cause = error instanceof TimeoutException ? "no confirm within " + DEFAULT_CONFIRM_TIMEOUT
                                : String.valueOf(error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error);
                        log.warn("{} of run {} not confirmed ({}); retrying in {} ms", result.status(),
                                task.idempotencyKey(), cause, delay.toMillis());
                        events.emit(WorkerEvent.RESULT_PUBLISH_RETRY, task, cause);
                        retries.schedule(() -> attempt(task, result, backoff.next(delay), settled), delay.toNanos(),
                                TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException e) {
                        // The worker stopped its timers: it has given up on what is still unconfirmed.
                        settled.complete(false);
                    }
                });
    }

    /**
     * Waits until every final result handed to {@link #publishFinal} is confirmed or given up, at most
     * {@code timeout}.
     *
     * @return true when none is left
     */
    synchronized boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!unsettled.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Final results not yet confirmed or given up. */
    synchronized int unsettled() {
        return unsettled.size();
    }

    /**
     * Gives up on every final result not yet confirmed, on the calling thread: their futures complete with
     * false, so their deliveries are reported abandoned and left for the broker to redeliver. Call once the
     * {@link ShutdownSignal} is raised.
     */
    void giveUp() {
        List<CompletableFuture<Boolean>> pending;
        synchronized (this) {
            pending = List.copyOf(unsettled);
        }
        pending.forEach(f -> f.complete(false));
    }
}
