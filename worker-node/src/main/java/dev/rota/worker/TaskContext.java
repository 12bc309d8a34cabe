package dev.rota.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a {@link TaskHandler} knows about the task it runs. Valid for the duration of one
 * {@link TaskHandler#handle} call, on the task thread that runs it.
 */
public interface TaskContext {
    long runId();

    /** 1 for the first attempt, incremented by each retry or re-dispatch. */
    int attempt();

    /** {@code runId:attempt}: stable for one attempt, also if it is delivered twice. Key side effects by it. */
    String idempotencyKey();

    /** The cron job that fired, or null for a one-off task. */
    Long jobId();

    /** The job's name, or null for a one-off task. */
    String jobName();

    String team();

    String taskType();

    /** When the run was due. */
    Instant scheduledAt();

    /** The job's JSON payload; never null (may be an empty object or JSON null). */
    JsonNode payload();

    /**
     * The payload converted to {@code type} (a record or bean, by JSON property names).
     *
     * @throws IllegalArgumentException when the payload does not fit {@code type}
     */
    <T> T payloadAs(Class<T> type);

    /**
     * The W3C trace context ({@code traceparent}) the run was submitted in, or null: pass it on to
     * outgoing calls so that a trace spans submission, this handler and the run's completion event.
     */
    default String traceparent() {
        return null;
    }

    /** The id of the worker running the task. */
    String workerId();

    /**
     * True once the worker has asked the handler to stop: the task was cancelled, timed out, or the
     * worker is closing and the shutdown grace has run out. The handler's thread is interrupted at
     * the same moment; this flag is for handlers that poll rather than block.
     */
    boolean isCancelled();

    /**
     * Adds {@code line} to this attempt's log, prefixed with the time. The worker sends the log with the
     * attempt's final result, whatever it is, and the leader stores it with the attempt, where the API
     * and the dashboard show it. The log is bounded ({@link WorkerBuilder#maxLogBytes}, at most
     * {@link dev.rota.model.RunLog#MAX_BYTES} of UTF-8): lines past the bound are dropped and the log ends
     * with {@link dev.rota.model.RunLog#TRUNCATION_MARKER}. Any thread may call this while the handler
     * runs; lines written after the handler returned are ignored. Never blocks on I/O.
     */
    void log(String line);
}
