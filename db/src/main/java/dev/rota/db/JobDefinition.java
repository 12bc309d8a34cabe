package dev.rota.db;

import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * A recurring job as stored in the {@code job} table. Whether {@code cron} and {@code timeZone} are
 * valid is for the scheduler to decide; {@code scheduleError} holds its verdict when they are not.
 *
 * @param payload       JSON text
 * @param timeout       how long one attempt may run, or null for no limit
 * @param scheduleFrom  fires before this instant are not owed (insert, schedule change, re-enable)
 * @param version       bumped by every change of the definition
 * @param startingDeadline a fire not started this long after it became due is SKIPPED; null for none
 */
public record JobDefinition(
        long id,
        String team,
        String name,
        String cron,
        String timeZone,
        String taskType,
        String payload,
        boolean enabled,
        MisfirePolicy misfirePolicy,
        int misfireLimit,
        ConcurrencyPolicy concurrencyPolicy,
        RetryPolicy retryPolicy,
        Duration timeout,
        String scheduleError,
        Instant scheduleFrom,
        Instant createdAt,
        Instant updatedAt,
        long version,
        Duration startingDeadline) {

    /** A job without a starting deadline. */
    public JobDefinition(long id, String team, String name, String cron, String timeZone, String taskType, String payload,
            boolean enabled, MisfirePolicy misfirePolicy, int misfireLimit, ConcurrencyPolicy concurrencyPolicy,
            RetryPolicy retryPolicy, Duration timeout, String scheduleError, Instant scheduleFrom, Instant createdAt,
            Instant updatedAt, long version) {
        this(id, team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit, concurrencyPolicy,
                retryPolicy, timeout, scheduleError, scheduleFrom, createdAt, updatedAt, version, null);
    }
}
