package dev.rota.bench.compare;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fires of every-second jobs named {@code cron-0 ... cron-(jobs-1)} whose scheduled second lies in
 * [{@code fromMs}, {@code toMs}): how late each started, which (job, second) never ran, which ran twice.
 */
final class FireWindow {
    private FireWindow() {
    }

    static Figures summarize(List<Execution> executions, int jobs, long fromMs, long toMs) {
        Map<String, Long> firstStart = new HashMap<>();
        int inWindow = 0;
        for (Execution e : executions) {
            if (e.scheduledMs() >= fromMs && e.scheduledMs() < toMs && e.task().startsWith("cron-")) {
                inWindow++;
                firstStart.merge(e.task() + "@" + e.scheduledMs(), e.startedMs() - e.scheduledMs(), Math::min);
            }
        }
        long seconds = (toMs - fromMs) / 1000;
        Figures figures = new Figures();
        if (!firstStart.isEmpty()) {
            long[] lateness = firstStart.values().stream().mapToLong(Long::longValue).toArray();
            figures.put(Metric.LATE_P50, Stats.percentile(lateness, 0.5))
                    .put(Metric.LATE_P99, Stats.percentile(lateness, 0.99))
                    .put(Metric.LATE_MAX, Stats.percentile(lateness, 1.0));
        }
        return figures.put(Metric.MISSED, jobs * seconds - firstStart.size())
                .put(Metric.DOUBLED, inWindow - firstStart.size());
    }
}
