package dev.rota.master.internal;

import java.time.Duration;

/**
 * The pace of a loop that has nothing to do most of the time: its own interval after a pass that found work,
 * then twice as long after each pass that found nothing, up to a bound. An idle leader's loops then wake a
 * few times a minute instead of several times a second, and the first pass that finds work brings the loop
 * back to its own interval. Not thread-safe: one loop's thread, or guarded by its caller.
 */
final class IdleBackoff {
    private final Duration min;
    private final Duration max;
    private Duration current;

    /**
     * @param min the loop's own interval
     * @param max the longest wait after passes that found nothing (at least {@code min})
     */
    IdleBackoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero()) {
            throw new IllegalArgumentException("min must be positive, was " + min);
        }
        this.min = min;
        this.max = max.compareTo(min) < 0 ? min : max;
        this.current = min;
    }

    /** How long to wait after a pass: the interval if it found work, else the next step of the back-off. */
    Duration next(boolean foundWork) {
        if (foundWork) {
            current = min;
            return min;
        }
        Duration wait = current;
        Duration doubled = current.multipliedBy(2);
        current = doubled.compareTo(max) < 0 ? doubled : max;
        return wait;
    }

    /** Back to the loop's own interval: something happened that the next passes should look at. */
    void reset() {
        current = min;
    }

    Duration min() {
        return min;
    }
}
