package dev.rota.worker.internal.builtin;

import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log}: logs {@code {"message": "..."}} at INFO with the run id and attempt, writes it to the
 * attempt's log too (which the run's page shows), and succeeds.
 */
public final class LogHandlerProvider implements TaskHandlerProvider {
    private static final Logger log = LoggerFactory.getLogger("dev.rota.worker.task.log");

    @Override
    public String taskType() {
        return "log";
    }

    @Override
    public TaskHandler create() {
        return context -> {
            String message = context.payload().path("message").asText("");
            log.info("run {} attempt {}: {}", context.runId(), context.attempt(), message);
            context.log(message);
            return null;
        };
    }
}
