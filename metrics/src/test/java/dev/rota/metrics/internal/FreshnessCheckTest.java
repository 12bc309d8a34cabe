package dev.rota.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FreshnessCheckTest {
    final AtomicBoolean answers = new AtomicBoolean(true);

    @Test
    void downBeforeTheFirstSuccessAndOnceSuccessesAreOlderThanTheLimit() {
        FreshnessCheck check = new FreshnessCheck(answers::get, Duration.ofMillis(300));
        assertThat(check.up()).isFalse();
        check.run();
        assertThat(check.up()).isTrue();

        answers.set(false);
        check.run();
        await().atMost(Duration.ofSeconds(1)).until(() -> !check.up());
        check.run();
        assertThat(check.up()).isFalse();

        answers.set(true);
        check.run();
        assertThat(check.up()).isTrue();
    }

    @Test
    void aCheckThatThrowsCountsAsFailed() {
        FreshnessCheck check = new FreshnessCheck(() -> {
            throw new IllegalStateException("connection refused");
        }, Duration.ofMillis(300));
        check.run();
        assertThat(check.up()).isFalse();
    }
}
