package dev.rota.master.internal;

import dev.rota.db.FencedException;
import dev.rota.db.Runs;
import dev.rota.db.Runs.AttemptRef;
import dev.rota.master.MasterEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the broker's confirms in the database, on its own thread, so that the dispatcher claims and
 * publishes the next batch while the last one is confirmed. A write that fails is kept and tried again:
 * the attempts stay in the {@link ConfirmTracker}'s hand meanwhile, so the outbox never republishes a
 * message the broker has confirmed, however long the database needs. An attempt whose run row another
 * transaction holds (its result being applied) is not waited for: it is kept, and marked on a later pass.
 */
final class ConfirmRecorder {
    private static final Logger log = LoggerFactory.getLogger(ConfirmRecorder.class);
    static final int MAX_PER_WRITE = 10_000;
    private static final long WAIT_MILLIS = 200;
    private static final long RETRY_MILLIS = 200;
    /** How long a pass that marked nothing, all its rows held elsewhere, waits before trying them again. */
    private static final long HELD_RETRY_MILLIS = 10;

    private final Runs runs;
    private final ConfirmTracker tracker;
    private final BiConsumer<MasterEvent, String> events;
    private final List<AttemptRef> unrecorded = new ArrayList<>();
    /** The last pass marked none of what it had: its rows were all held elsewhere. */
    private boolean allHeld;

    ConfirmRecorder(Runs runs, ConfirmTracker tracker, BiConsumer<MasterEvent, String> events) {
        this.runs = runs;
        this.tracker = tracker;
        this.events = events;
    }

    void runOnce() throws InterruptedException {
        if (unrecorded.size() < MAX_PER_WRITE) {
            unrecorded.addAll(tracker.takeConfirmed(unrecorded.isEmpty() ? WAIT_MILLIS : allHeld ? HELD_RETRY_MILLIS : 0,
                    MAX_PER_WRITE - unrecorded.size()));
        }
        if (unrecorded.isEmpty()) {
            return;
        }
        List<AttemptRef> held;
        try {
            held = runs.markPublished(unrecorded);
        } catch (FencedException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("recording {} broker confirms failed ({}); retrying, and none of them is republished meanwhile",
                    unrecorded.size(), e.toString());
            Thread.sleep(RETRY_MILLIS);
            return;
        }
        java.util.Set<AttemptRef> keep = java.util.Set.copyOf(held);
        List<AttemptRef> done = unrecorded.stream().filter(a -> !keep.contains(a)).toList();
        allHeld = done.isEmpty();
        unrecorded.clear();
        unrecorded.addAll(held);
        tracker.release(done);
        for (AttemptRef a : done) {
            events.accept(MasterEvent.TASK_PUBLISHED, a.runId() + ":" + a.attempt());
        }
    }
}
