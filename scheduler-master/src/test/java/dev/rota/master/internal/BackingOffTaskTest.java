package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.FencedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leader loop that backs off while it finds nothing, stepped by hand: the executor records the delay each
 * pass asks for and runs the next pass at once, as long as the test allows steps; past them, a pass is parked
 * for an hour, as an idle loop's would be.
 */
class BackingOffTaskTest {
    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofMillis(1_000);

    private final SteppingExecutor executor = new SteppingExecutor();
    private final List<FencedException> fenced = new CopyOnWriteArrayList<>();
    private final AtomicInteger passes = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void passesThatFindNothingWaitTwiceAsLongEachTimeUpToTheBound() {
        executor.step(6);
        task(() -> false).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> executor.delays.size() == 7);
        assertThat(executor.delays).containsExactly(100L, 100L, 200L, 400L, 800L, 1_000L, 1_000L);
    }

    @Test
    void aPassThatFindsWorkBringsTheLoopBackToItsInterval() {
        List<Boolean> found = new ArrayList<>(List.of(false, false, false, true, false));
        executor.step(5);
        task(() -> found.remove(0)).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> executor.delays.size() == 6);
        assertThat(executor.delays).containsExactly(100L, 100L, 200L, 400L, 100L, 100L);
    }

    @Test
    void aWakeRunsAParkedLoopAtOnceAndAtItsIntervalAfter() {
        BackingOffTask task = task(() -> false);
        executor.step(4);
        task.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> executor.delays.size() == 5);
        int before = passes.get();
        assertThat(executor.delays.get(4)).as("parked").isEqualTo(800L);

        executor.step(2);
        task.wake();

        await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() == before + 2 && executor.delays.size() == 8);
        assertThat(executor.delays.subList(5, executor.delays.size())).containsExactly(100L, 100L, 200L);
    }

    @Test
    void aFailedPassIsRetriedAtTheIntervalAndAFencedOneEndsTheTask() {
        AtomicInteger calls = new AtomicInteger();
        BackingOffTask task = task(() -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                return false;
            }
            if (n == 2) {
                throw new IllegalStateException("database down");
            }
            throw new FencedException(7, 8);
        });
        executor.step(10);
        task.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> fenced.size() == 1);
        assertThat(executor.delays).containsExactly(100L, 100L, 100L);
        assertThat(calls).hasValue(3);
    }

    private BackingOffTask task(BackingOffTask.Pass pass) {
        return new BackingOffTask(executor, "test loop", () -> {
            passes.incrementAndGet();
            return pass.run();
        }, new IdleBackoff(MIN, MAX), fenced::add);
    }

    /** Records each delay asked for; runs a pass at once while steps are left, else parks it for an hour. */
    private static final class SteppingExecutor extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new CopyOnWriteArrayList<>();
        private final AtomicInteger steps = new AtomicInteger();

        SteppingExecutor() {
            super(1);
            setRemoveOnCancelPolicy(true);
        }

        void step(int n) {
            steps.addAndGet(n);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            boolean stepped = steps.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            return stepped ? super.schedule(command, 0, unit) : super.schedule(command, 1, TimeUnit.HOURS);
        }
    }
}
