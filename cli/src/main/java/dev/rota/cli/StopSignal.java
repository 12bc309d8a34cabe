package dev.rota.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into a stop request that a long-running command waits for on its own thread.
 * The JVM runs the shutdown hook on a thread of its own and halts when the hook returns, so the hook waits
 * (up to {@code cleanupWait}) for the command to {@link #close()}: the command, not the hook, closes the
 * master or worker, in one place and in order, whether it stops on a signal or by itself.
 */
final class StopSignal implements AutoCloseable {
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Duration cleanupWait;
    private final Thread hook;

    private StopSignal(String name, Duration cleanupWait) {
        this.cleanupWait = cleanupWait;
        this.hook = new Thread(this::onSignal, name);
    }

    /**
     * @param name        the shutdown hook thread's name
     * @param cleanupWait how long a signal waits for the command to finish closing before the JVM halts
     */
    static StopSignal install(String name, Duration cleanupWait) {
        StopSignal signal = new StopSignal(name, cleanupWait);
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    private void onSignal() {
        stopRequested.countDown();
        try {
            cleanedUp.await(cleanupWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a stop is requested. */
    void await() throws InterruptedException {
        stopRequested.await();
    }

    /** @return true when a stop was requested, false when {@code timeout} passed first */
    boolean await(Duration timeout) throws InterruptedException {
        return stopRequested.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    boolean isRequested() {
        return stopRequested.getCount() == 0;
    }

    /** Tells a waiting shutdown hook that cleaning up is done; removes the hook when no signal came. */
    @Override
    public void close() {
        cleanedUp.countDown();
        if (!isRequested()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownAlreadyStarted) {
                // The JVM is exiting anyway; the hook finds cleanedUp counted down and returns at once.
            }
        }
    }
}
