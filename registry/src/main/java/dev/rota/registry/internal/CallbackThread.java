package dev.rota.registry.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named daemon thread that runs callbacks to user listeners in submission order, so that they
 * never overlap and never run on a ZooKeeper or Curator thread.
 */
final class CallbackThread implements Executor {
    private static final Logger log = LoggerFactory.getLogger(CallbackThread.class);

    private final String name;
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final ExecutorService executor;

    CallbackThread(String name) {
        this.name = name;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            thread.set(t);
            return t;
        });
    }

    /** Queues {@code task}; after {@link #shutdown} the task is dropped (logged at DEBUG). */
    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("{} is shut down; dropped a callback", name);
        }
    }

    boolean isCurrentThread() {
        return Thread.currentThread() == thread.get();
    }

    /**
     * Waits up to {@code maxWait} for every callback queued so far to finish. Returns at once when
     * called on this thread (waiting there would wait for itself) or when interrupted (the interrupt
     * flag is set again).
     */
    void drain(Duration maxWait) {
        if (isCurrentThread()) {
            return;
        }
        Future<?> marker;
        try {
            marker = executor.submit(() -> { });
        } catch (RejectedExecutionException e) {
            return;
        }
        try {
            marker.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("{}: callbacks still running after {}; a listener is blocking", name, maxWait);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a no-op task failed", e);
        }
    }

    /** Runs the callbacks already queued, waiting up to {@code maxWait}, then stops the thread. */
    void shutdown(Duration maxWait) {
        executor.shutdown();
        if (isCurrentThread()) {
            return;
        }
        try {
            if (!executor.awaitTermination(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("{}: callbacks still running after {}; interrupting them", name, maxWait);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
