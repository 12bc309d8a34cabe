package dev.rota.worker.internal;

import dev.rota.model.TaskMessage;
import dev.rota.worker.WorkerEvent;
import dev.rota.worker.WorkerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passes events to the user's listener; a failing listener is logged and never breaks task processing. */
final class EventSink {
    private static final Logger log = LoggerFactory.getLogger(EventSink.class);

    private final WorkerListener listener;

    EventSink(WorkerListener listener) {
        this.listener = listener;
    }

    void emit(WorkerEvent event, TaskMessage task, String detail) {
        try {
            listener.onEvent(event, task, detail);
        } catch (RuntimeException e) {
            log.warn("worker listener failed on {}: {}", event, e.toString(), e);
        }
    }

    void emit(WorkerEvent event, TaskMessage task) {
        emit(event, task, null);
    }
}
