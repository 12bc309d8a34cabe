package dev.rota.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a worker publishes to the results queue about one attempt.
 *
 * @param version  wire format version
 * @param runId    the run
 * @param attempt  the attempt this report is about; reports about an older attempt change nothing
 * @param workerId the reporting worker
 * @param status   what happened
 * @param at       the worker's clock when it happened
 * @param error    for FAILED, TIMED_OUT, CANCELLED and REJECTED: why
 * @param result   for SUCCEEDED: the handler's optional JSON result
 * @param startedAt optional (added compatibly in version 1): when the handler started, on a final result
 *                 whose STARTED the worker did not send separately; the leader records it as the start
 * @param sender   who sent it, as the broker vouches for it (the AMQP {@code user_id} property, which
 *                 RabbitMQ checks against the connection's user); null when the message carried none.
 *                 Never part of the JSON: {@link MessageCodec#decodeResult} leaves it null and the
 *                 consumer sets it from the delivery with {@link #withSender}.
 */
public record ResultMessage(
        int version,
        long runId,
        int attempt,
        String workerId,
        ResultStatus status,
        Instant at,
        String error,
        JsonNode result,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant startedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String log,
        @JsonIgnore String sender) {

    /** A result without a start time, as sent before {@code startedAt} existed. */
    public ResultMessage(int version, long runId, int attempt, String workerId, ResultStatus status, Instant at,
            String error, JsonNode result) {
        this(version, runId, attempt, workerId, status, at, error, result, null, null, null);
    }

    /** A result with no sender yet; the consumer adds it from the delivery. */
    public ResultMessage(int version, long runId, int attempt, String workerId, ResultStatus status, Instant at,
            String error, JsonNode result, Instant startedAt) {
        this(version, runId, attempt, workerId, status, at, error, result, startedAt, null, null);
    }

    /** This result as sent by {@code sender} (the delivery's validated {@code user_id}, or null). */
    public ResultMessage withSender(String sender) {
        return new ResultMessage(version, runId, attempt, workerId, status, at, error, result, startedAt, log, sender);
    }

    public static ResultMessage of(TaskMessage task, String workerId, ResultStatus status, Instant at, String error,
            JsonNode result) {
        return new ResultMessage(TaskMessage.CURRENT_VERSION, task.runId(), task.attempt(), workerId, status, at, error,
                result);
    }

    /** This final result, marked as also reporting the start at {@code startedAt} (its STARTED was not sent). */
    public ResultMessage withStartedAt(Instant startedAt) {
        return new ResultMessage(version, runId, attempt, workerId, status, at, error, result, startedAt, log, sender);
    }

    /** This result carrying {@code log}, the attempt's log (null for none). */
    public ResultMessage withLog(String log) {
        return new ResultMessage(version, runId, attempt, workerId, status, at, error, result, startedAt, log, sender);
    }
}
