package dev.rota.master.internal;

import dev.rota.db.FencedException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task of the term's scheduler thread that runs again after its own interval while it finds work, and backs
 * off ({@link IdleBackoff}) while it finds nothing; {@link #wake} brings it back to its interval at once (an
 * event the next passes should look at). A pass that fails is retried after the interval; a fenced pass tells
 * the term and ends the task. Stops when its executor shuts down.
 */
final class BackingOffTask {
    private static final Logger log = LoggerFactory.getLogger(BackingOffTask.class);

    /** One pass. */
    @FunctionalInterface
    interface Pass {
        /** @return whether the pass found work (the next runs after the interval) or nothing (it backs off) */
        boolean run();
    }

    private final ScheduledExecutorService executor;
    private final String name;
    private final Pass pass;
    private final IdleBackoff backoff;
    private final Consumer<FencedException> fenced;
    private ScheduledFuture<?> next;
    private boolean running;
    private boolean ended;

    /** @param fenced told when a pass was fenced off (the task has ended then) */
    BackingOffTask(ScheduledExecutorService executor, String name, Pass pass, IdleBackoff backoff,
            Consumer<FencedException> fenced) {
        this.executor = executor;
        this.name = name;
        this.pass = pass;
        this.backoff = backoff;
        this.fenced = fenced;
    }

    /** Schedules the first pass after the interval. */
    void start() {
        start(backoff.min());
    }

    /** Schedules the first pass after {@code initialDelay}. */
    synchronized void start(Duration initialDelay) {
        schedule(initialDelay);
    }

    /** The next pass runs within the interval, and the passes after it at the interval until one finds nothing. */
    synchronized void wake() {
        backoff.reset();
        if (running || ended || next == null || next.getDelay(TimeUnit.MILLISECONDS) <= backoff.min().toMillis()) {
            return;
        }
        if (next.cancel(false)) {
            schedule(backoff.min());
        }
    }

    private void runPass() {
        synchronized (this) {
            running = true;
        }
        boolean foundWork;
        try {
            foundWork = pass.run();
        } catch (FencedException e) {
            fenced.accept(e);
            synchronized (this) {
                running = false;
                ended = true;
            }
            return;
        } catch (RuntimeException e) {
            log.warn("{} failed; next try in {} ms: {}", name, backoff.min().toMillis(), e.toString());
            foundWork = true;
        }
        synchronized (this) {
            running = false;
            // After a wake during this pass, the back-off starts over: the pass may have looked too early.
            schedule(backoff.next(foundWork));
        }
    }

    private void schedule(Duration delay) {
        try {
            next = executor.schedule(this::runPass, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shutDown) {
            ended = true;
        }
    }
}
