package dev.rota.master.internal;

import dev.rota.db.EventOutbox;
import dev.rota.db.RunView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes completion events durable (V13's {@code event_outbox}): deletes the rows of the events the broker
 * confirmed, in batches, and publishes again the events still unconfirmed after {@code republishAfter}:
 * those whose leader crashed between its commit and the confirm, a lost channel's, and those of runs
 * that a path other than the leader ended (an operator's cancel through the API, plain SQL). Runs on the
 * term's scheduler thread; stepped by hand in its test.
 */
final class EventOutboxLoop {
    private static final Logger log = LoggerFactory.getLogger(EventOutboxLoop.class);
    /** Events published again per pass, at most. */
    static final int BATCH = 500;

    private final EventOutbox outbox;
    private final long epoch;
    private final TaskPublisher publisher;
    private final Duration republishAfter;
    private final ConcurrentLinkedQueue<EventOutbox.Key> confirmed = new ConcurrentLinkedQueue<>();
    private long nextRepublishNanos;

    EventOutboxLoop(EventOutbox outbox, long epoch, TaskPublisher publisher, Duration republishAfter) {
        this.outbox = outbox;
        this.epoch = epoch;
        this.publisher = publisher;
        this.republishAfter = republishAfter;
        publisher.onEventConfirmed(confirmed::add);
        // A new term looks at once: what the last leader left unconfirmed is old enough by then.
        this.nextRepublishNanos = System.nanoTime();
    }

    /** @return whether it deleted or republished anything (else the loop may back off) */
    boolean runOnce() {
        List<EventOutbox.Key> done = new ArrayList<>();
        for (EventOutbox.Key k; (k = confirmed.poll()) != null; ) {
            done.add(k);
        }
        if (!done.isEmpty()) {
            outbox.confirmed(epoch, done);
        }
        boolean found = !done.isEmpty();
        if (System.nanoTime() - nextRepublishNanos >= 0) {
            nextRepublishNanos = System.nanoTime() + republishAfter.toNanos() / 2;
            List<RunView> stale = outbox.unconfirmed(republishAfter, BATCH);
            if (!stale.isEmpty()) {
                log.info("publishing {} completion event(s) again: not confirmed within {} ms", stale.size(),
                        republishAfter.toMillis());
                stale.forEach(publisher::completionEvent);
                found = true;
            }
        }
        return found;
    }
}
