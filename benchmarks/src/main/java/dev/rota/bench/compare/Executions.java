package dev.rota.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Collects handler starts from any thread. Handlers call {@link #started}; the harness reads a
 * snapshot. An optional sink sees each one as it happens (a child process prints it).
 */
public final class Executions {
    private final ConcurrentLinkedQueue<Execution> all = new ConcurrentLinkedQueue<>();
    private final Consumer<Execution> sink;

    public Executions() {
        this(e -> { });
    }

    public Executions(Consumer<Execution> sink) {
        this.sink = sink;
    }

    /** Records that {@code task}, due at {@code scheduledMs}, started now. Cheap; call first thing in a handler. */
    public void started(String task, long scheduledMs) {
        add(new Execution(task, scheduledMs, System.currentTimeMillis()));
    }

    public void add(Execution e) {
        all.add(e);
        sink.accept(e);
    }

    public List<Execution> snapshot() {
        return new ArrayList<>(all);
    }

    public long count(Predicate<Execution> filter) {
        return all.stream().filter(filter).count();
    }

    public void clear() {
        all.clear();
    }
}
