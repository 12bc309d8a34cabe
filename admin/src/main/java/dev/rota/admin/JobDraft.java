package dev.rota.admin;

import java.time.Duration;

/**
 * A job definition as an operator writes it: every field optional except {@code name}, {@code cron}
 * and {@code taskType}; null means the default. {@link Admin} validates all of it, naming the field.
 *
 * @param payload     JSON text
 * @param misfirePolicy     FIRE_ONCE, FIRE_ALL or SKIP
 * @param concurrencyPolicy ALLOW, FORBID or REPLACE
 * @param startingDeadline  a fire not started this long after its time is SKIPPED; null for none
 */
public record JobDraft(String team, String name, String cron, String timeZone, String taskType, String payload,
        Boolean enabled, String misfirePolicy, Integer misfireLimit, String concurrencyPolicy, Integer maxAttempts,
        Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout, Duration startingDeadline) {

    /** A draft without a starting deadline. */
    public JobDraft(String team, String name, String cron, String timeZone, String taskType, String payload,
            Boolean enabled, String misfirePolicy, Integer misfireLimit, String concurrencyPolicy, Integer maxAttempts,
            Duration retryInitial, Double retryMultiplier, Duration retryMax, Duration timeout) {
        this(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit, concurrencyPolicy,
                maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, null);
    }

    public JobDraft withStartingDeadline(Duration startingDeadline) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public static JobDraft of(String name, String cron, String taskType) {
        return new JobDraft(null, name, cron, null, taskType, null, null, null, null, null, null, null, null, null, null);
    }

    public JobDraft withTeam(String team) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withTimeZone(String timeZone) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withPayload(String payload) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withEnabled(Boolean enabled) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withCron(String cron) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withPolicies(String misfirePolicy, Integer misfireLimit, String concurrencyPolicy) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withRetry(Integer maxAttempts, Duration retryInitial, Double retryMultiplier, Duration retryMax) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }

    public JobDraft withTimeout(Duration timeout) {
        return new JobDraft(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, maxAttempts, retryInitial, retryMultiplier, retryMax, timeout, startingDeadline);
    }
}
