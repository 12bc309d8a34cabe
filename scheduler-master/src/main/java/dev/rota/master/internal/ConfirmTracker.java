package dev.rota.master.internal;

import dev.rota.db.Runs.AttemptRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The task messages of one term that are out on the broker and not yet recorded as published. An
 * attempt stays "in hand" from its publish until its confirm is recorded in the database, or until
 * the broker nacks it or its channel closes; while in hand the outbox never republishes it, however
 * long the confirm takes. Only a failed publish lets the outbox send the attempt again, so a second
 * delivery of the same attempt needs a fault (a nack, a lost channel, a leader change).
 *
 * <p>Bounded: {@link #awaitRoom} makes the dispatcher wait while {@code capacity} messages are in hand,
 * so a slow broker or database holds back the claims instead of filling the heap.
 */
final class ConfirmTracker {
    private final int capacity;
    private final Map<Long, Integer> inHand = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<AttemptRef> confirmed = new LinkedBlockingQueue<>();
    private final Object room = new Object();

    ConfirmTracker(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Tracks one published attempt. The future completes on the RabbitMQ client's thread; the callback
     * only moves the attempt along, and {@code onFailure} (called there too) must not block.
     */
    void track(AttemptRef attempt, CompletableFuture<Void> confirm, BiConsumer<AttemptRef, Throwable> onFailure) {
        inHand.put(attempt.runId(), attempt.attempt());
        confirm.whenComplete((ok, failure) -> {
            if (failure == null) {
                confirmed.add(attempt);
            } else {
                release(List.of(attempt));
                onFailure.accept(attempt, failure);
            }
        });
    }

    /** Whether an attempt of this run is out on the broker and its outcome not yet recorded. */
    boolean inHand(long runId) {
        return inHand.containsKey(runId);
    }

    int size() {
        return inHand.size();
    }

    /** Waits until {@code n} more messages fit, then returns; interruptible. */
    void awaitRoom(int n) throws InterruptedException {
        int wanted = Math.min(n, capacity);
        synchronized (room) {
            while (inHand.size() + wanted > capacity) {
                room.wait(100);
            }
        }
    }

    /**
     * Waits (bounded) until every message in hand is confirmed and recorded, or has failed: a term that
     * ends gracefully leaves no confirmed message unrecorded for the next leader's outbox to send again.
     *
     * @return whether the hand is empty
     */
    boolean awaitDrained(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (room) {
            while (!inHand.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                room.wait(Math.max(1, Math.min(50, left / 1_000_000)));
            }
        }
        return true;
    }

    /** Confirmed attempts waiting to be recorded: waits up to {@code waitMillis} for the first. */
    List<AttemptRef> takeConfirmed(long waitMillis, int max) throws InterruptedException {
        AttemptRef first = confirmed.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<AttemptRef> out = new ArrayList<>();
        out.add(first);
        confirmed.drainTo(out, max - 1);
        return out;
    }

    /** The confirms of these attempts are recorded (or their publish failed): they leave the hand. */
    void release(List<AttemptRef> attempts) {
        for (AttemptRef a : attempts) {
            inHand.remove(a.runId(), a.attempt());
        }
        synchronized (room) {
            room.notifyAll();
        }
    }
}
