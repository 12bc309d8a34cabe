package dev.rota.master.internal;

import dev.rota.db.FencedException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one iteration of a background loop until interrupted: an iteration that throws is logged and
 * retried after a back-off, an interrupt ends the loop quietly, and a {@link FencedException} ends the
 * loop and tells the term (the master must stop leading).
 */
final class Loop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Loop.class);
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);

    @FunctionalInterface
    interface Iteration {
        void runOnce() throws InterruptedException;
    }

    private final String name;
    private final Iteration iteration;
    private final TermContext ctx;

    Loop(String name, Iteration iteration, TermContext ctx) {
        this.name = name;
        this.iteration = iteration;
        this.ctx = ctx;
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                iteration.runOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (FencedException e) {
                log.warn("{}: {}; stopping", name, e.getMessage());
                ctx.fenced(e);
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                log.warn("{} failed, retrying in {} ms: {}", name, FAILURE_BACKOFF.toMillis(), e.toString());
                try {
                    Thread.sleep(FAILURE_BACKOFF.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        log.debug("{} stopped", name);
    }
}
