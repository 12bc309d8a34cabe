package dev.rota.worker.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Raised once when the worker gives up on unfinished work; waiters are woken at once. */
final class ShutdownSignal {
    private final CountDownLatch raised = new CountDownLatch(1);

    void raise() {
        raised.countDown();
    }

    boolean isRaised() {
        return raised.getCount() == 0;
    }

    /** Waits up to {@code timeout}; returns true when the signal was raised meanwhile. */
    boolean await(Duration timeout) throws InterruptedException {
        return raised.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
