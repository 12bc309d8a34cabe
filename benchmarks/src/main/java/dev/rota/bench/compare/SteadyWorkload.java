package dev.rota.bench.compare;

import java.time.Duration;
import java.util.List;

/**
 * {@code jobs} jobs firing every second. After the start, waits (at most {@link #RAMP_LIMIT}) until
 * every job has fired once: that ramp is a figure of its own. The measured window starts at the next
 * second after that, and a grace lets the window's last fires start.
 */
final class SteadyWorkload implements Workload {
    static final Duration RAMP_LIMIT = Duration.ofSeconds(90);
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final int jobs;
    private final Duration window;

    SteadyWorkload(int jobs, Duration window) {
        this.jobs = jobs;
        this.window = window;
    }

    @Override
    public Figures run(Contender contender, Executions executions) throws Exception {
        long startedMs = System.currentTimeMillis();
        contender.start(jobs);
        boolean ramped = Waits.until(() -> jobsFired(executions.snapshot()) >= jobs, RAMP_LIMIT);
        long rampMs = System.currentTimeMillis() - startedMs;
        long fromMs = (System.currentTimeMillis() / 1000 + 1) * 1000;
        long toMs = fromMs + window.toSeconds() * 1000;
        Waits.untilWallClock(toMs + GRACE.toMillis());
        Figures figures = FireWindow.summarize(executions.snapshot(), jobs, fromMs, toMs);
        if (ramped) {
            figures.put(Metric.RAMP, rampMs);
        } else {
            figures.note("only " + jobsFired(executions.snapshot()) + " of " + jobs + " jobs had fired "
                    + RAMP_LIMIT.toSeconds() + " s after the start");
        }
        return figures;
    }

    private static long jobsFired(List<Execution> executions) {
        return executions.stream().map(Execution::task).distinct().count();
    }
}
