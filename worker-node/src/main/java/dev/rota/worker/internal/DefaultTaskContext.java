package dev.rota.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.model.MessageCodec;
import dev.rota.model.TaskMessage;
import dev.rota.worker.TaskContext;
import java.time.Instant;

/** The {@link TaskContext} of one running attempt. */
final class DefaultTaskContext implements TaskContext {
    private final TaskMessage task;
    private final String workerId;
    private final MessageCodec codec;
    private final RunningTask running;
    private final AttemptLog log;

    DefaultTaskContext(TaskMessage task, String workerId, MessageCodec codec, RunningTask running, AttemptLog log) {
        this.task = task;
        this.workerId = workerId;
        this.codec = codec;
        this.running = running;
        this.log = log;
    }

    @Override
    public long runId() {
        return task.runId();
    }

    @Override
    public int attempt() {
        return task.attempt();
    }

    @Override
    public String idempotencyKey() {
        return task.idempotencyKey();
    }

    @Override
    public Long jobId() {
        return task.jobId();
    }

    @Override
    public String jobName() {
        return task.jobName();
    }

    @Override
    public String team() {
        return task.team();
    }

    @Override
    public String taskType() {
        return task.taskType();
    }

    @Override
    public Instant scheduledAt() {
        return task.scheduledAt();
    }

    @Override
    public JsonNode payload() {
        return task.payload();
    }

    @Override
    public <T> T payloadAs(Class<T> type) {
        return codec.convert(task.payload(), type);
    }

    @Override
    public String traceparent() {
        return task.traceparent();
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public boolean isCancelled() {
        return running.isStopRequested();
    }

    @Override
    public void log(String line) {
        log.append(line);
    }

    @Override
    public String toString() {
        return "TaskContext[" + task.taskType() + " run " + task.idempotencyKey() + "]";
    }
}
