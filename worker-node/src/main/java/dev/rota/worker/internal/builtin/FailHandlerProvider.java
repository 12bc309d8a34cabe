package dev.rota.worker.internal.builtin;

import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;

/** {@code fail}: throws {@link RequestedFailureException} with {@code {"message": "..."}}; for demos and tests. */
public final class FailHandlerProvider implements TaskHandlerProvider {
    static final String DEFAULT_MESSAGE = "failed on request";

    @Override
    public String taskType() {
        return "fail";
    }

    @Override
    public TaskHandler create() {
        return context -> {
            throw new RequestedFailureException(context.payload().path("message").asText(DEFAULT_MESSAGE));
        };
    }
}
