package dev.rota.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * The task message a master publishes and a worker consumes; JSON on the wire (see the README).
 *
 * @param version     wire format version, {@link #CURRENT_VERSION}
 * @param runId       the run; with {@code attempt} it is the idempotency key
 * @param attempt     1 for the first attempt, incremented by each retry or re-dispatch
 * @param jobId       the cron job that fired, or null for a one-off task
 * @param jobName     the job's name, or null for a one-off task
 * @param team        owning team
 * @param taskType    selects the handler and the queue
 * @param scheduledAt the time this run was due
 * @param dispatchedAt when the master committed this attempt for dispatch
 * @param timeout     how long the handler may run before the worker interrupts it; null for no limit
 * @param payload     the job's JSON payload
 * @param startBy     optional (added compatibly in version 1): the starting deadline; a worker that receives
 *                    the task later does not run it but reports {@link ResultStatus#SKIPPED}
 * @param traceparent optional (added compatibly in version 1): the W3C trace context the run was submitted
 *                    in; also sent as the AMQP header {@code traceparent}
 */
public record TaskMessage(
        int version,
        long runId,
        int attempt,
        Long jobId,
        String jobName,
        String team,
        String taskType,
        Instant scheduledAt,
        Instant dispatchedAt,
        Duration timeout,
        JsonNode payload,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant startBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String traceparent) {

    public static final int CURRENT_VERSION = 1;

    /** A task without a starting deadline. */
    public TaskMessage(int version, long runId, int attempt, Long jobId, String jobName, String team, String taskType,
            Instant scheduledAt, Instant dispatchedAt, Duration timeout, JsonNode payload) {
        this(version, runId, attempt, jobId, jobName, team, taskType, scheduledAt, dispatchedAt, timeout, payload, null);
    }

    /** A task without a trace. */
    public TaskMessage(int version, long runId, int attempt, Long jobId, String jobName, String team, String taskType,
            Instant scheduledAt, Instant dispatchedAt, Duration timeout, JsonNode payload, Instant startBy) {
        this(version, runId, attempt, jobId, jobName, team, taskType, scheduledAt, dispatchedAt, timeout, payload,
                startBy, null);
    }

    /** True when the task carries a starting deadline that {@code now} is past. */
    public boolean isPastStartBy(Instant now) {
        return startBy != null && now.isAfter(startBy);
    }

    /** Stable for one attempt of one run: {@code runId:attempt}. Handlers use it to make side effects idempotent. */
    public String idempotencyKey() {
        return runId + ":" + attempt;
    }
}
