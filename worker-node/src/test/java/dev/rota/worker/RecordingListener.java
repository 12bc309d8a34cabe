package dev.rota.worker;

import dev.rota.model.TaskMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every event for assertions on the test thread. */
final class RecordingListener implements WorkerListener {
    record Recorded(WorkerEvent event, Long runId, String detail) {
    }

    private final List<Recorded> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(WorkerEvent event, TaskMessage task, String detail) {
        events.add(new Recorded(event, task == null ? null : task.runId(), detail));
    }

    boolean has(WorkerEvent event, long runId) {
        return events.stream().anyMatch(e -> e.event() == event && e.runId() != null && e.runId() == runId);
    }

    long count(WorkerEvent event) {
        return events.stream().filter(e -> e.event() == event).count();
    }

    List<Recorded> all() {
        return List.copyOf(events);
    }
}
