package dev.rota.master.internal;

import dev.rota.master.Backlog;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The last measurement of a {@link BacklogMonitor}; shared by a master's terms. Thread-safe. */
public final class BacklogView implements Backlog {
    private final AtomicReference<List<TaskTypeLoad>> last = new AtomicReference<>(List.of());

    @Override
    public List<TaskTypeLoad> loads() {
        return last.get();
    }

    void set(List<TaskTypeLoad> loads) {
        last.set(List.copyOf(loads));
    }
}
