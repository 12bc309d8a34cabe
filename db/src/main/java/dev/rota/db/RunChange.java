package dev.rota.db;

/**
 * A run inserted or moved to another state, as announced by PostgreSQL when the change commits.
 *
 * @param jobId   null for a one-off task
 * @param workerId the worker holding the current attempt, if any
 */
public record RunChange(long id, String state, String team, Long jobId, String jobName, String taskType, int attempt,
        String workerId) {
}
