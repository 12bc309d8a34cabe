package dev.rota.bench.compare;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N one-off no-op tasks all due at one instant. The due instant is chosen after a calibration (a small
 * batch submitted the same way, due a day later, so it never runs here) so that submitting all N ends
 * before it: lateness then measures the scheduler, not the submission. One call each is made from
 * {@value #SUBMITTERS} threads, as concurrent clients would, and stops at {@link #MAX_SUBMIT} (the
 * tasks not submitted by then are reported, the run stays bounded).
 */
final class BurstWorkload implements Workload {
    enum Mode { EACH, BULK }

    private static final Duration MIN_LEAD = Duration.ofSeconds(3);
    private static final Duration MAX_LEAD = Duration.ofSeconds(120);
    private static final Duration DUPLICATE_WATCH = Duration.ofSeconds(2);
    static final int SUBMITTERS = 8;
    static final Duration MAX_SUBMIT = Duration.ofSeconds(90);

    private final int tasks;
    private final Mode mode;
    private final Duration timeout;

    BurstWorkload(int tasks, Mode mode, Duration timeout) {
        this.tasks = tasks;
        this.mode = mode;
        this.timeout = timeout;
    }

    @Override
    public Figures run(Contender contender, Executions executions) throws Exception {
        contender.start(0);
        int calibration = mode == Mode.EACH ? 100 : 1_000;
        long c0 = System.nanoTime();
        submit(contender, calibration, "cal-", Instant.now().plus(Duration.ofDays(1)));
        double nanosPerTask = (System.nanoTime() - c0) / (double) calibration;
        long leadMs = Math.min(MAX_LEAD.toMillis(), MIN_LEAD.toMillis() + (long) (1.5 * tasks * nanosPerTask / 1e6));
        executions.clear();
        long dueMs = System.currentTimeMillis() + leadMs;
        long s0 = System.nanoTime();
        int submitted = submit(contender, tasks, "b-", Instant.ofEpochMilli(dueMs));
        long submitNanos = System.nanoTime() - s0;
        long submittedAt = System.currentTimeMillis();
        Waits.until(() -> distinct(executions.snapshot()) >= submitted,
                Duration.ofMillis(Math.max(0, dueMs - System.currentTimeMillis())).plus(timeout));
        Thread.sleep(DUPLICATE_WATCH.toMillis());
        Figures figures = summarize(executions.snapshot(), submitted, dueMs)
                .put(Metric.SUBMIT_RATE, submitted / (submitNanos / 1e9));
        List<String> notes = new ArrayList<>();
        if (submitted < tasks) {
            notes.add("only " + submitted + " of " + tasks + " tasks submitted within " + MAX_SUBMIT.toSeconds() + " s");
        }
        if (submittedAt > dueMs) {
            notes.add("submission ended " + (submittedAt - dueMs) + " ms after the due instant");
        }
        return notes.isEmpty() ? figures : figures.note(String.join("; ", notes));
    }

    /** @return how many were submitted */
    private int submit(Contender contender, int n, String prefix, Instant due) throws Exception {
        if (mode == Mode.BULK) {
            contender.submitBulk(n, prefix, due);
            return n;
        }
        long deadline = System.nanoTime() + MAX_SUBMIT.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            List<Future<?>> submitters = new ArrayList<>();
            for (int t = 0; t < SUBMITTERS; t++) {
                submitters.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n && System.nanoTime() < deadline) {
                        contender.submitOne(prefix + i, due);
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : submitters) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return done.get();
    }

    private static long distinct(List<Execution> executions) {
        return executions.stream().map(Execution::task).distinct().count();
    }

    /** Figures of a burst due at {@code dueMs}: lateness of each task's first start, throughput to the last. */
    static Figures summarize(List<Execution> executions, int tasks, long dueMs) {
        Map<String, Long> firstStart = new HashMap<>();
        for (Execution e : executions) {
            firstStart.merge(e.task(), e.startedMs(), Math::min);
        }
        Figures figures = new Figures();
        if (firstStart.isEmpty()) {
            return figures.put(Metric.MISSING, tasks).put(Metric.TWICE, 0).note("no task ran");
        }
        long[] lateness = firstStart.values().stream().mapToLong(s -> s - dueMs).toArray();
        long lastStart = firstStart.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return figures
                .put(Metric.THROUGHPUT, firstStart.size() / (Math.max(1, lastStart - dueMs) / 1000.0))
                .put(Metric.LATE_P50, Stats.percentile(lateness, 0.5))
                .put(Metric.LATE_P99, Stats.percentile(lateness, 0.99))
                .put(Metric.LATE_MAX, Stats.percentile(lateness, 1.0))
                .put(Metric.MISSING, tasks - firstStart.size())
                .put(Metric.TWICE, executions.size() - firstStart.size());
    }
}
