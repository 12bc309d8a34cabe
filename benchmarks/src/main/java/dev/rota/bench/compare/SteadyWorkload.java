package dev.rota.bench.compare;

import java.time.Duration;

/**
 * {@code jobs} jobs firing every second; measured over a window that starts after a warm-up, plus a
 * grace for the window's last fires to start.
 */
final class SteadyWorkload implements Workload {
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final int jobs;
    private final Duration window;

    SteadyWorkload(int jobs, Duration window) {
        this.jobs = jobs;
        this.window = window;
    }

    @Override
    public Figures run(Contender contender, Executions executions) throws Exception {
        contender.start(jobs);
        long fromMs = (System.currentTimeMillis() / 1000 + 1) * 1000 + WARM_UP.toMillis();
        long toMs = fromMs + window.toSeconds() * 1000;
        Waits.untilWallClock(toMs + GRACE.toMillis());
        return FireWindow.summarize(executions.snapshot(), jobs, fromMs, toMs);
    }
}
