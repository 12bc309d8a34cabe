package dev.rota.worker.internal;

import java.time.Duration;

/**
 * Exponential backoff: {@code initial}, then each delay times {@code multiplier}, capped at {@code max}.
 */
record Backoff(Duration initial, double multiplier, Duration max) {
    static final Backoff DEFAULT_RESULT_RETRY = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5));

    Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive, was " + initial);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be at least initial (" + initial + "), was " + max);
        }
    }

    Duration next(Duration previous) {
        long nanos = (long) Math.min(previous.toNanos() * multiplier, (double) max.toNanos());
        return Duration.ofNanos(nanos);
    }
}
