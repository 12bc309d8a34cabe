package dev.rota.db;

import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.Names;
import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * A job to create. Start from {@link #of} and adjust with the {@code with*} methods.
 */
public record JobSpec(
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
        Duration timeout) {

    public static final String DEFAULT_TEAM = "default";
    public static final String DEFAULT_TIME_ZONE = "UTC";
    public static final int DEFAULT_MISFIRE_LIMIT = 100;

    public JobSpec {
        Names.requireValid("team", team);
        Names.requireValid("task type", taskType);
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("job name must be 1 to 200 characters, was '" + name + "'");
        }
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(misfirePolicy, "misfirePolicy");
        Objects.requireNonNull(concurrencyPolicy, "concurrencyPolicy");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (misfireLimit < 1) {
            throw new IllegalArgumentException("misfireLimit must be at least 1, was " + misfireLimit);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    public static JobSpec of(String name, String cron, String taskType) {
        return new JobSpec(DEFAULT_TEAM, name, cron, DEFAULT_TIME_ZONE, taskType, "{}", true, MisfirePolicy.FIRE_ONCE,
                DEFAULT_MISFIRE_LIMIT, ConcurrencyPolicy.ALLOW, RetryPolicy.NONE, null);
    }

    public JobSpec withTeam(String team) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withTimeZone(String timeZone) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withPayload(String payload) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withEnabled(boolean enabled) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withMisfire(MisfirePolicy misfirePolicy, int misfireLimit) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withConcurrency(ConcurrencyPolicy concurrencyPolicy) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withRetry(RetryPolicy retryPolicy) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }

    public JobSpec withTimeout(Duration timeout) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout);
    }
}
