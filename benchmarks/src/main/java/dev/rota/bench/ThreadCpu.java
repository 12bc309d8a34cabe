package dev.rota.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads over a window, to explain a process CPU figure: Java threads by the thread
 * bean (full names), and on Linux the JVM's own threads (garbage collector, JIT compilers, VM thread), which
 * the bean does not list, from {@code /proc/self/task} (names cut to 15 characters, 10 ms resolution).
 */
final class ThreadCpu {
    /** Clock ticks per second of {@code /proc/<pid>/task/<tid>/stat} (USER_HZ, 100 on Linux). */
    private static final long TICK_NANOS = 10_000_000L;
    private static final Path TASKS = Path.of("/proc/self/task");

    private record Used(String name, long nanos) { }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> javaBefore = new HashMap<>();
    private final Map<String, Used> nativeBefore;

    ThreadCpu() {
        threads.setThreadCpuTimeEnabled(true);
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t >= 0) {
                javaBefore.put(id, t);
            }
        }
        nativeBefore = nativeThreads();
    }

    /**
     * Prints the {@code top} threads by CPU since construction as a table, each as a percentage of one
     * core over {@code wallNanos}, then the other threads together and what no thread accounts for.
     */
    void print(int top, long processCpuNanos, long wallNanos) {
        List<Used> used = new ArrayList<>();
        Set<String> javaNames = new HashSet<>();
        for (long id : threads.getAllThreadIds()) {
            long now = threads.getThreadCpuTime(id);
            ThreadInfo info = threads.getThreadInfo(id);
            if (now >= 0 && info != null) {
                used.add(new Used(info.getThreadName(), now - javaBefore.getOrDefault(id, 0L)));
                javaNames.add(info.getThreadName().substring(0, Math.min(15, info.getThreadName().length())));
            }
        }
        for (Map.Entry<String, Used> e : nativeThreads().entrySet()) {
            Used now = e.getValue();
            if (!javaNames.contains(now.name())) {
                Used before = nativeBefore.get(e.getKey());
                used.add(new Used(now.name() + " (JVM)", now.nanos() - (before == null ? 0 : before.nanos())));
            }
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
        System.out.printf("| not accounted to a thread (ended threads, rounding) | %.2f |%n",
                100.0 * (processCpuNanos - total) / wallNanos);
    }

    /** The JVM's native threads by task id: name and CPU time; empty where there is no {@code /proc}. */
    private static Map<String, Used> nativeThreads() {
        Map<String, Used> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return out;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String[] fields = stat.substring(close + 2).split(" ");
                    // After the name: state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12.
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    out.put(task.getFileName().toString(), new Used(stat.substring(open + 1, close), ticks * TICK_NANOS));
                } catch (IOException | RuntimeException gone) {
                    // The thread ended while listed.
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }
}
