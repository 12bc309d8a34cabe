package dev.rota.master;

import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the leader sends alert webhooks. Tests shorten the intervals; defaults suit production.
 *
 * @param pollInterval   how long the sender waits when no delivery is due
 * @param requestTimeout how long one POST may take (connecting included) before it counts as failed
 * @param retry          attempts per delivery, and the backoff between them (exponential, with jitter)
 * @param batchSize      most deliveries claimed (and sent concurrently) at once
 * @param leaderBeatInterval how often the leader records that it is alive (what NO_LEADER alerts measure)
 * @param leaderlessCheckInterval how often every master looks for a gap without a leader; a NO_LEADER alert
 *                       comes at most this (plus one beat) after the rule's threshold
 * @param keepDeliveries how long delivered and failed deliveries (and their attempts) are kept
 */
public record AlertConfig(Duration pollInterval, Duration requestTimeout, RetryPolicy retry, int batchSize,
        Duration leaderBeatInterval, Duration leaderlessCheckInterval, Duration keepDeliveries) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** 8 attempts over about an hour: 5 s, 15 s, 45 s, 2 min 15 s, ... capped at 30 min (each 50-100%). */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.maxAttempts(8)
            .backoff(Duration.ofSeconds(5), 3.0).maxDelay(Duration.ofMinutes(30));
    public static final int DEFAULT_BATCH_SIZE = 20;
    public static final int MAX_BATCH_SIZE = 500;
    public static final Duration DEFAULT_LEADER_BEAT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LEADERLESS_CHECK_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_KEEP_DELIVERIES = Duration.ofDays(30);
    /** How often the leader deletes deliveries past {@code keepDeliveries}, and how many at most each time. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    public static final int PURGE_BATCH = 1_000;
    public static final AlertConfig DEFAULTS = new AlertConfig(DEFAULT_POLL_INTERVAL, DEFAULT_REQUEST_TIMEOUT,
            DEFAULT_RETRY, DEFAULT_BATCH_SIZE, DEFAULT_LEADER_BEAT_INTERVAL, DEFAULT_LEADERLESS_CHECK_INTERVAL,
            DEFAULT_KEEP_DELIVERIES);

    public AlertConfig {
        MasterTimings.positive("pollInterval", pollInterval);
        MasterTimings.positive("requestTimeout", requestTimeout);
        Objects.requireNonNull(retry, "retry");
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
        }
        MasterTimings.positive("leaderBeatInterval", leaderBeatInterval);
        MasterTimings.positive("leaderlessCheckInterval", leaderlessCheckInterval);
        MasterTimings.positive("keepDeliveries", keepDeliveries);
    }

    /**
     * How long a claimed delivery is left to its sender before another may claim it again: longer than a
     * request may take, so a slow receiver is not sent the same alert twice while the first request is out.
     */
    public Duration claimLease() {
        return requestTimeout.multipliedBy(2).plusSeconds(1);
    }

    public AlertConfig withPollInterval(Duration pollInterval) {
        return new AlertConfig(pollInterval, requestTimeout, retry, batchSize, leaderBeatInterval,
                leaderlessCheckInterval, keepDeliveries);
    }

    public AlertConfig withRequestTimeout(Duration requestTimeout) {
        return new AlertConfig(pollInterval, requestTimeout, retry, batchSize, leaderBeatInterval,
                leaderlessCheckInterval, keepDeliveries);
    }

    public AlertConfig withRetry(RetryPolicy retry) {
        return new AlertConfig(pollInterval, requestTimeout, retry, batchSize, leaderBeatInterval,
                leaderlessCheckInterval, keepDeliveries);
    }

    public AlertConfig withKeepDeliveries(Duration keepDeliveries) {
        return new AlertConfig(pollInterval, requestTimeout, retry, batchSize, leaderBeatInterval,
                leaderlessCheckInterval, keepDeliveries);
    }

    public AlertConfig withLeaderless(Duration leaderBeatInterval, Duration leaderlessCheckInterval) {
        return new AlertConfig(pollInterval, requestTimeout, retry, batchSize, leaderBeatInterval,
                leaderlessCheckInterval, keepDeliveries);
    }
}
