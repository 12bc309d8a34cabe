package dev.rota.model;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How often a failed run is tried again, and how long to wait before each try: exponential backoff
 * with full jitter, {@code delay(n) = random(0.5..1) * min(maxDelay, initialDelay * multiplier^(n-1))}.
 * Build with {@code RetryPolicy.maxAttempts(5).backoff(Duration.ofSeconds(1), 2.0).maxDelay(...)}.
 *
 * @param maxAttempts  attempts in all, the first included; 1 means no retry
 * @param initialDelay delay before the second attempt
 * @param multiplier   growth factor of the delay, at least 1
 * @param maxDelay     cap on the delay
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay) {
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);
    public static final RetryPolicy NONE = maxAttempts(1);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative, was " + maxDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number of at least 1, was " + multiplier);
        }
    }

    public static RetryPolicy maxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_MAX_DELAY);
    }

    public RetryPolicy backoff(Duration initialDelay, double multiplier) {
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay);
    }

    public RetryPolicy maxDelay(Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay);
    }

    /** Whether another attempt is allowed after {@code failures} failed ones. */
    public boolean allowsRetryAfter(int failures) {
        return failures < maxAttempts;
    }

    /**
     * The delay before the attempt that follows failure number {@code failures} (1-based).
     *
     * @param jitter a source of numbers in [0, 1); tests pass a constant
     */
    public Duration delayAfter(int failures, DoubleSupplier jitter) {
        double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        double capped = Math.min(base, maxDelay.toMillis());
        double factor = 0.5 + 0.5 * jitter.getAsDouble();
        return Duration.ofMillis(Math.round(capped * factor));
    }
}
