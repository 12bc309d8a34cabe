package dev.rota.model;

import java.time.Instant;

/**
 * Published once per final outcome of a run to the events exchange, routing key
 * {@link Topology#eventRoutingKey(String, String, RunState) team.taskType.STATE}.
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
        String error) {
}
