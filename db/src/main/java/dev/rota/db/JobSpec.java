package dev.rota.db;

import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.model.Names;
import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * A job to create. Start from {@link #of} and adjust with the {@code with*} methods.
 *
 * @param payload          JSON text of at most {@link #MAX_PAYLOAD_BYTES} bytes (UTF-8)
 * @param misfireLimit     1 to {@link #MAX_MISFIRE_LIMIT}
 * @param startingDeadline optional: a fire not started this long after it became due is SKIPPED, not run late
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
        Duration timeout,
        Duration startingDeadline) {

    public static final String DEFAULT_TEAM = "default";
    /**
     * Largest payload, in bytes of JSON text: ClusterSettings' default, and the database's
     * {@code job_payload_at_most_262144_bytes} constraint.
     */
    public static final int MAX_PAYLOAD_BYTES = dev.rota.model.ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES;
    /** Largest misfire limit; also the database's {@code job_misfire_limit_at_most_10000} constraint. */
    public static final int MAX_MISFIRE_LIMIT = 10_000;
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
        if (misfireLimit < 1 || misfireLimit > MAX_MISFIRE_LIMIT) {
            throw new IllegalArgumentException("misfireLimit of job '" + name + "' must be between 1 and "
                    + MAX_MISFIRE_LIMIT + ", was " + misfireLimit);
        }
        requirePayloadSize("job '" + name + "'", payload);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        requireStartingDeadline(startingDeadline);
    }

    /** A job without a starting deadline. */
    public JobSpec(String team, String name, String cron, String timeZone, String taskType, String payload,
            boolean enabled, MisfirePolicy misfirePolicy, int misfireLimit, ConcurrencyPolicy concurrencyPolicy,
            RetryPolicy retryPolicy, Duration timeout) {
        this(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit, concurrencyPolicy,
                retryPolicy, timeout, null);
    }

    static void requirePayloadSize(String owner, String payload) {
        int bytes = payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + owner + " is " + bytes + " bytes; the limit (maxPayloadBytes) is "
                    + MAX_PAYLOAD_BYTES);
        }
    }

    static void requireStartingDeadline(Duration startingDeadline) {
        if (startingDeadline != null && (startingDeadline.isNegative() || startingDeadline.toMillis() < 1)) {
            throw new IllegalArgumentException("startingDeadline must be at least 1 ms, was " + startingDeadline);
        }
    }

    public JobSpec withStartingDeadline(Duration startingDeadline) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public static JobSpec of(String name, String cron, String taskType) {
        return new JobSpec(DEFAULT_TEAM, name, cron, DEFAULT_TIME_ZONE, taskType, "{}", true, MisfirePolicy.FIRE_ONCE,
                DEFAULT_MISFIRE_LIMIT, ConcurrencyPolicy.ALLOW, RetryPolicy.NONE, null);
    }

    public JobSpec withTeam(String team) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withTimeZone(String timeZone) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withPayload(String payload) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withEnabled(boolean enabled) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withMisfire(MisfirePolicy misfirePolicy, int misfireLimit) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withConcurrency(ConcurrencyPolicy concurrencyPolicy) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withRetry(RetryPolicy retryPolicy) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }

    public JobSpec withTimeout(Duration timeout) {
        return new JobSpec(team, name, cron, timeZone, taskType, payload, enabled, misfirePolicy, misfireLimit,
                concurrencyPolicy, retryPolicy, timeout, startingDeadline);
    }
}
