package dev.rota.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads over a window, to explain a process CPU figure. On Linux it reads every
 * thread of the process from {@code /proc/self/task}, the JVM's own included (JIT compilers, garbage
 * collector, VM thread), which the thread bean does not list; names are cut to 15 characters and times
 * count in 10 ms ticks. Elsewhere it falls back to the thread bean's Java threads.
 */
final class ThreadCpu {
    /** Clock ticks per second of {@code /proc/<pid>/task/<tid>/stat} (USER_HZ, 100 on Linux). */
    private static final long TICK_NANOS = 10_000_000L;
    private static final Path TASKS = Path.of("/proc/self/task");

    private record Used(String name, long nanos) { }

    private final Map<Long, Used> before;

    ThreadCpu() {
        before = threads();
    }

    /**
     * Prints the {@code top} threads by CPU since construction as a table, each as a percentage of one
     * core over {@code wallNanos}, then the other threads together and what no live thread accounts for.
     */
    void print(int top, long processCpuNanos, long wallNanos) {
        List<Used> used = new ArrayList<>();
        for (Map.Entry<Long, Used> e : threads().entrySet()) {
            Used then = before.get(e.getKey());
            used.add(new Used(e.getValue().name(), e.getValue().nanos() - (then == null ? 0 : then.nanos())));
        }
        used.sort((a, b) -> Long.compare(b.nanos(), a.nanos()));
        long total = used.stream().mapToLong(Used::nanos).sum();
        System.out.printf("%n| thread (CPU over the idle window) | %% of one core |%n|---|---|%n");
        long shown = 0;
        for (Used u : used.subList(0, Math.min(top, used.size()))) {
            System.out.printf("| %s | %.2f |%n", u.name(), 100.0 * u.nanos() / wallNanos);
            shown += u.nanos();
        }
        System.out.printf("| %d other threads | %.2f |%n", Math.max(0, used.size() - top),
                100.0 * (total - shown) / wallNanos);
        System.out.printf("| threads that ended, rounding | %.2f |%n", 100.0 * (processCpuNanos - total) / wallNanos);
    }

    private static Map<Long, Used> threads() {
        return Files.isDirectory(TASKS) ? nativeThreads() : javaThreads();
    }

    private static Map<Long, Used> nativeThreads() {
        Map<Long, Used> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    // After the name: state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12.
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    out.put(Long.parseLong(task.getFileName().toString()),
                            new Used(stat.substring(open + 1, close), ticks * TICK_NANOS));
                } catch (IOException | RuntimeException gone) {
                    // The thread ended while listed.
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    private static Map<Long, Used> javaThreads() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Map<Long, Used> out = new HashMap<>();
        for (java.lang.management.ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            long nanos = info == null ? -1 : bean.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                out.put(info.getThreadId(), new Used(info.getThreadName(), nanos));
            }
        }
        return out;
    }
}
