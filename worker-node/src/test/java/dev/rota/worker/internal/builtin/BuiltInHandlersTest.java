package dev.rota.worker.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.model.MessageCodec;
import dev.rota.worker.TaskContext;
import dev.rota.worker.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuiltInHandlersTest {
    private final MessageCodec codec = new MessageCodec();
    private final java.util.List<String> logged = new java.util.ArrayList<>();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void sleepEndsAtOnceWhenInterrupted() {
        TaskHandler sleep = new SleepHandlerProvider().create();
        Thread.currentThread().interrupt();
        long start = System.nanoTime();

        assertThatThrownBy(() -> sleep.handle(context("{\"millis\": 10000}")))
                .isInstanceOf(InterruptedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void sleepNeedsMillis() {
        assertThatThrownBy(() -> new SleepHandlerProvider().create().handle(context("{}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("millis");
    }

    @Test
    void failThrowsThePayloadMessage() {
        assertThatThrownBy(() -> new FailHandlerProvider().create().handle(context("{\"message\": \"boom\"}")))
                .isInstanceOf(RequestedFailureException.class).hasMessage("boom");
        assertThatThrownBy(() -> new FailHandlerProvider().create().handle(context("null")))
                .hasMessage(FailHandlerProvider.DEFAULT_MESSAGE);
    }

    @Test
    void noopAndLogSucceedWithoutResult() throws Exception {
        assertThat(new NoopHandlerProvider().create().handle(context("{}"))).isNull();
        assertThat(new LogHandlerProvider().create().handle(context("{\"message\": \"hi\"}"))).isNull();
        assertThat(logged).as("log writes its message to the attempt's log").containsExactly("hi");
    }

    private TaskContext context(String payloadJson) throws Exception {
        JsonNode payload = codec.readTree(payloadJson);
        return new TaskContext() {
            @Override public long runId() { return 1; }
            @Override public int attempt() { return 1; }
            @Override public String idempotencyKey() { return "1:1"; }
            @Override public Long jobId() { return null; }
            @Override public String jobName() { return null; }
            @Override public String team() { return "team"; }
            @Override public String taskType() { return "test"; }
            @Override public Instant scheduledAt() { return Instant.EPOCH; }
            @Override public JsonNode payload() { return payload; }
            @Override public <T> T payloadAs(Class<T> type) { return codec.convert(payload, type); }
            @Override public String workerId() { return "w"; }
            @Override public boolean isCancelled() { return false; }
            @Override public void log(String line) { logged.add(line); }
        };
    }
}
