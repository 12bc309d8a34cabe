package dev.rota.model;

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
 */
public record ResultMessage(
        int version,
        long runId,
        int attempt,
        String workerId,
        ResultStatus status,
        Instant at,
        String error,
        JsonNode result) {

    public static ResultMessage of(TaskMessage task, String workerId, ResultStatus status, Instant at, String error,
            JsonNode result) {
        return new ResultMessage(TaskMessage.CURRENT_VERSION, task.runId(), task.attempt(), workerId, status, at, error,
                result);
    }
}
