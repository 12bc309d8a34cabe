package dev.rota.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Published to the events exchange, routing key {@link Topology#eventRoutingKey(String, String, RunState)
 * team.taskType.STATE}: once per final outcome of a run ({@link #TYPE_FINISHED}), and once per attempt that
 * was lost or failed and is scheduled again ({@link #TYPE_RESCHEDULED}, state SCHEDULED).
 *
 * <p>The message is a CloudEvents 1.0 event in structured JSON mode: the attributes {@code specversion},
 * {@code id}, {@code source}, {@code type}, {@code subject}, {@code time}, {@code datacontenttype} and, when the
 * run carries a trace, the W3C {@code traceparent} extension; {@link #data()} holds the run, its result (at
 * most {@link #MAX_RESULT_BYTES} of JSON, else left out with {@code resultTruncated}) and its idempotency key.
 * The flat fields before them are those of wire version 1, kept for its consumers.
 */
public record CompletionEvent(
        long runId,
        int attempt,
        Long jobId,
        String jobName,
        String team,
        String taskType,
        RunState state,
        Instant scheduledAt,
        Instant finishedAt,
        String workerId,
        String error,
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        String traceparent,
        String idempotencyKey,
        Data data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_FINISHED = "dev.rota.run.finished";
    public static final String TYPE_RESCHEDULED = "dev.rota.run.rescheduled";
    public static final int MAX_RESULT_BYTES = 64 * 1024;

    /**
     * The event's data: the run as it is after the change.
     *
     * @param reason          for a rescheduled attempt: why (worker lost, failed with attempts left)
     * @param result          the handler's JSON result, when it is at most {@link #MAX_RESULT_BYTES}
     * @param resultTruncated true when a result existed but was too large to carry
     * @param dueAt           for a rescheduled attempt: when the next attempt is due
     */
    public record Data(long runId, int attempt, Long jobId, String jobName, String team, String taskType, RunState state,
            Instant scheduledAt, Instant finishedAt, Instant dueAt, String workerId, String error, String reason,
            String idempotencyKey, JsonNode result, Boolean resultTruncated) {
    }

    /** The wire version 1 event: the flat fields alone. */
    public CompletionEvent(long runId, int attempt, Long jobId, String jobName, String team, String taskType,
            RunState state, Instant scheduledAt, Instant finishedAt, String workerId, String error) {
        this(runId, attempt, jobId, jobName, team, taskType, state, scheduledAt, finishedAt, workerId, error, null, null,
                null, null, null, null, null, null, null, null);
    }
}
