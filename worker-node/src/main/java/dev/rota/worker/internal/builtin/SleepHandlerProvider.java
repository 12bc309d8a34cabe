package dev.rota.worker.internal.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;

/**
 * {@code sleep}: sleeps {@code {"millis": 500}} and succeeds; an interrupt (timeout, cancel, shutdown)
 * ends the sleep at once. For demos and tests of timeouts and cancellation.
 */
public final class SleepHandlerProvider implements TaskHandlerProvider {
    @Override
    public String taskType() {
        return "sleep";
    }

    @Override
    public TaskHandler create() {
        return context -> {
            JsonNode millis = context.payload().path("millis");
            if (!millis.canConvertToLong() || millis.asLong() < 0) {
                throw new IllegalArgumentException("sleep needs a payload like {\"millis\": 500}, got "
                        + context.payload());
            }
            Thread.sleep(millis.asLong());
            return null;
        };
    }
}
