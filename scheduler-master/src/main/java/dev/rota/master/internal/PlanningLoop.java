package dev.rota.master.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link SchedulePlanner} when there is something to plan: at once while changes or due jobs are
 * left, when the database announces a changed job ({@link #changed}), and when the next cursor enters the
 * lookahead ({@link SchedulePlanner.Pass#idleFor}); an idle leader's planner otherwise sleeps. Steps the leader
 * down when it cannot hold its schedule: the heap stays over its limit after collections, or a page runs out
 * of memory. Stepping down lets a master with room lead, instead of one that lives in full collections.
 */
final class PlanningLoop implements Loop.Iteration {
    private static final Logger log = LoggerFactory.getLogger(PlanningLoop.class);

    private final SchedulePlanner planner;
    private final HeapGuard heap;
    private final Duration interval;
    private final Runnable stepDown;
    private final Semaphore changes = new Semaphore(0);

    PlanningLoop(SchedulePlanner planner, HeapGuard heap, Duration interval, Runnable stepDown) {
        this.planner = planner;
        this.heap = heap;
        this.interval = interval;
        this.stepDown = stepDown;
    }

    @Override
    public void runOnce() throws InterruptedException {
        SchedulePlanner.Pass pass;
        try {
            pass = planner.runOnce();
        } catch (OutOfMemoryError e) {
            cannotHold("a planning page ran out of memory: " + e.getMessage());
            return;
        }
        String why = heap.check();
        if (why != null) {
            cannotHold(why);
            return;
        }
        if (!pass.changesLeft() && changes.tryAcquire(pass.idleFor().toMillis(), TimeUnit.MILLISECONDS)) {
            changes.drainPermits();
        }
    }

    /**
     * A job changed (or may have: the listener restarted): plan now rather than at the next cursor. On the
     * listener's thread; never blocks.
     */
    void changed() {
        changes.release();
    }

    private void cannotHold(String why) throws InterruptedException {
        log.error("this leader cannot hold its schedule ({}); stepping down", why);
        stepDown.run();
        // The term is being closed; wait for the interrupt rather than plan again.
        Thread.sleep(interval.toMillis());
    }
}
