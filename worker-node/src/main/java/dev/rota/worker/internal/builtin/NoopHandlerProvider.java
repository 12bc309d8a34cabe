package dev.rota.worker.internal.builtin;

import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;

/** {@code noop}: does nothing and succeeds; for smoke tests and demos. */
public final class NoopHandlerProvider implements TaskHandlerProvider {
    @Override
    public String taskType() {
        return "noop";
    }

    @Override
    public TaskHandler create() {
        return context -> null;
    }
}
