package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    /** factor = 0.5 + 0.5 * jitter: 1.0 gives the full delay, 0.0 half of it. */
    private static final DoubleSupplier FULL = () -> 1.0;
    private static final DoubleSupplier HALF = () -> 0.0;

    @Test
    void builderKeepsDefaultsAndOverrides() {
        RetryPolicy p = RetryPolicy.maxAttempts(5);
        assertThat(p.maxAttempts()).isEqualTo(5);
        assertThat(p.initialDelay()).isEqualTo(RetryPolicy.DEFAULT_INITIAL_DELAY);
        assertThat(p.multiplier()).isEqualTo(RetryPolicy.DEFAULT_MULTIPLIER);
        assertThat(p.maxDelay()).isEqualTo(RetryPolicy.DEFAULT_MAX_DELAY);

        RetryPolicy q = p.backoff(Duration.ofMillis(100), 3.0).maxDelay(Duration.ofSeconds(2));
        assertThat(q).isEqualTo(new RetryPolicy(5, Duration.ofMillis(100), 3.0, Duration.ofSeconds(2)));
        assertThat(RetryPolicy.NONE.maxAttempts()).isEqualTo(1);
    }

    @Test
    void delaysGrowByTheMultiplier() {
        RetryPolicy p = RetryPolicy.maxAttempts(10).backoff(Duration.ofMillis(100), 3.0).maxDelay(Duration.ofHours(1));
        assertThat(p.delayAfter(1, FULL)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2, FULL)).isEqualTo(Duration.ofMillis(300));
        assertThat(p.delayAfter(3, FULL)).isEqualTo(Duration.ofMillis(900));
        assertThat(p.delayAfter(4, FULL)).isEqualTo(Duration.ofMillis(2700));
    }

    @Test
    void multiplierOfOneGivesConstantDelays() {
        RetryPolicy p = RetryPolicy.maxAttempts(4).backoff(Duration.ofMillis(250), 1.0);
        for (int n = 1; n <= 4; n++) {
            assertThat(p.delayAfter(n, FULL)).isEqualTo(Duration.ofMillis(250));
        }
    }

    @Test
    void delaysAreCappedByMaxDelay() {
        RetryPolicy p = RetryPolicy.maxAttempts(100).backoff(Duration.ofSeconds(1), 2.0).maxDelay(Duration.ofSeconds(5));
        assertThat(p.delayAfter(3, FULL)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.delayAfter(4, FULL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.delayAfter(10, FULL)).isEqualTo(Duration.ofSeconds(5));
        // Huge exponents overflow to infinity and must still be capped, not wrap around.
        assertThat(p.delayAfter(5_000, FULL)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.delayAfter(Integer.MAX_VALUE, HALF)).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void jitterKeepsTheDelayBetweenHalfAndAll() {
        RetryPolicy p = RetryPolicy.maxAttempts(10).backoff(Duration.ofSeconds(1), 2.0);
        assertThat(p.delayAfter(2, HALF)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.delayAfter(2, () -> 0.5)).isEqualTo(Duration.ofMillis(1500));
        assertThat(p.delayAfter(2, FULL)).isEqualTo(Duration.ofSeconds(2));

        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Duration d = p.delayAfter(2, random::nextDouble);
            assertThat(d).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void zeroDelayIsAllowed() {
        RetryPolicy p = RetryPolicy.maxAttempts(3).backoff(Duration.ZERO, 2.0);
        assertThat(p.delayAfter(1, FULL)).isZero();
        assertThat(p.delayAfter(2, FULL)).isZero();
    }

    @Test
    void allowsRetryWhileFailuresAreBelowMaxAttempts() {
        RetryPolicy p = RetryPolicy.maxAttempts(3);
        assertThat(p.allowsRetryAfter(1)).isTrue();
        assertThat(p.allowsRetryAfter(2)).isTrue();
        assertThat(p.allowsRetryAfter(3)).isFalse();
        assertThat(RetryPolicy.NONE.allowsRetryAfter(1)).isFalse();
    }

    @Test
    void validationNamesTheValue() {
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).backoff(Duration.ofMillis(-1), 2.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialDelay must not be negative");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).maxDelay(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDelay must not be negative");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).backoff(Duration.ofSeconds(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier").hasMessageContaining("0.5");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).backoff(Duration.ofSeconds(1), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.maxAttempts(2).backoff(Duration.ofSeconds(1), Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier");
        assertThatNullPointerException().isThrownBy(() -> RetryPolicy.maxAttempts(2).backoff(null, 2.0))
                .withMessage("initialDelay");
        assertThatNullPointerException().isThrownBy(() -> RetryPolicy.maxAttempts(2).maxDelay(null))
                .withMessage("maxDelay");
    }
}
