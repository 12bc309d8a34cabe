package dev.rota.worker.internal;

import dev.rota.messaging.ConfirmingPublisher;
import dev.rota.model.MessageCodec;
import dev.rota.model.Topology;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends results in batches, a JSON array of results per message (a single result goes out as a plain
 * object, which every leader reads). A result that finds no batch awaiting the broker's confirm goes out
 * at once; while one is out, results gather until its confirm comes back, {@code flushInterval} passes,
 * or {@code maxBatch} are waiting, whichever is first (a group commit: no wait when idle, large batches
 * under load). Each result's future completes when the broker confirms its batch,
 * so the caller still acknowledges a task only after its final result is confirmed.
 *
 * <p>A final result that finds its attempt's STARTED still waiting replaces it: the STARTED is not sent,
 * and the final result carries its time as {@code startedAt}; the STARTED's future completes with the
 * final result's. Thread-safe; flushes run on the injected scheduler's thread.
 */
final class ResultBatcher {
    /** How long a result may wait for others: a few ms, against about one commit per batch at the leader. */
    static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(5);
    /** Results per message, well below {@link MessageCodec#MAX_RESULTS_PER_MESSAGE}. */
    static final int DEFAULT_MAX_BATCH = 200;
    /**
     * Log text that closes a batch early: final results carry their attempt's log (up to 64 KiB each),
     * and a batch of them must stay far below the broker's message size limit.
     */
    static final int MAX_BATCH_LOG_CHARS = 1024 * 1024;

    private record Pending(ResultMessage result, CompletableFuture<Void> confirmed) {
    }

    /** Publishes one message; the future completes when the broker confirms it. */
    interface Sender {
        CompletableFuture<Void> publish(String exchange, String routingKey, byte[] body);
    }

    private final Sender publisher;
    private final String resultsExchange;
    private final String resultsQueue;
    private final MessageCodec codec;
    private final ScheduledExecutorService flusher;
    private final Duration flushInterval;
    private final int maxBatch;
    private final List<Pending> buffer = new ArrayList<>();
    private int bufferedLogChars;
    private ScheduledFuture<?> scheduled;
    /** Batches published and not yet confirmed (or failed). */
    private int outstanding;

    ResultBatcher(ConfirmingPublisher publisher, Topology topology, MessageCodec codec,
            ScheduledExecutorService flusher, Duration flushInterval, int maxBatch) {
        this((Sender) publisher::publish, topology, codec, flusher, flushInterval, maxBatch);
    }

    ResultBatcher(Sender publisher, Topology topology, MessageCodec codec,
            ScheduledExecutorService flusher, Duration flushInterval, int maxBatch) {
        if (maxBatch < 1 || maxBatch > MessageCodec.MAX_RESULTS_PER_MESSAGE) {
            throw new IllegalArgumentException("maxBatch must be between 1 and " + MessageCodec.MAX_RESULTS_PER_MESSAGE
                    + ", was " + maxBatch);
        }
        this.publisher = publisher;
        this.resultsExchange = topology.resultsExchange();
        this.resultsQueue = topology.resultsQueue();
        this.codec = codec;
        this.flusher = flusher;
        this.flushInterval = flushInterval;
        this.maxBatch = maxBatch;
    }

    /** Queues {@code result}; the future completes when the broker confirms it, or fails. */
    CompletableFuture<Void> submit(ResultMessage result) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        boolean full;
        synchronized (this) {
            ResultMessage toSend = result;
            if (isFinal(result.status())) {
                for (Iterator<Pending> it = buffer.iterator(); it.hasNext(); ) {
                    Pending p = it.next();
                    if (p.result().status() == ResultStatus.STARTED && p.result().runId() == result.runId()
                            && p.result().attempt() == result.attempt()) {
                        it.remove();
                        toSend = result.withStartedAt(p.result().at());
                        confirmed.whenComplete((ok, error) -> complete(p.confirmed(), error));
                    }
                }
            }
            buffer.add(new Pending(toSend, confirmed));
            bufferedLogChars += toSend.log() == null ? 0 : toSend.log().length();
            full = buffer.size() >= maxBatch || bufferedLogChars >= MAX_BATCH_LOG_CHARS;
            if (!full && scheduled == null) {
                try {
                    scheduled = flusher.schedule(this::flush, outstanding == 0 ? 0 : flushInterval.toNanos(),
                            TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    full = true;
                }
            }
        }
        if (full) {
            flush();
        }
        return confirmed;
    }

    /** Sends whatever is queued now, on the calling thread. */
    void flush() {
        List<Pending> batch;
        synchronized (this) {
            batch = List.copyOf(buffer);
            buffer.clear();
            bufferedLogChars = 0;
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        synchronized (this) {
            outstanding++;
        }
        byte[] body = batch.size() == 1 ? codec.encode(batch.get(0).result())
                : codec.encode(batch.stream().map(Pending::result).toList());
        CompletableFuture<Void> sent;
        try {
            // The results exchange, not the default one: a least-privilege worker user may publish only there.
            sent = publisher.publish(resultsExchange, resultsQueue, body);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            synchronized (this) {
                outstanding--;
                if (outstanding == 0 && !buffer.isEmpty()) {
                    if (scheduled != null) {
                        scheduled.cancel(false);
                    }
                    try {
                        scheduled = flusher.schedule(this::flush, 0, TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException e) {
                        scheduled = null; // closing: what is left was given up
                    }
                }
            }
            batch.forEach(p -> complete(p.confirmed(), error));
        });
    }

    private static void complete(CompletableFuture<Void> f, Throwable error) {
        if (error == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(error);
        }
    }

    private static boolean isFinal(ResultStatus s) {
        return s != ResultStatus.STARTED && s != ResultStatus.HEARTBEAT;
    }
}
