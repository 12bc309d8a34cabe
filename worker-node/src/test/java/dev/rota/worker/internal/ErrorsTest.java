package dev.rota.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void namesClassMessageAndCauses() {
        Exception error = new IllegalStateException("outer", new IOException("inner", new NullPointerException()));

        assertThat(Errors.describe(error)).isEqualTo("java.lang.IllegalStateException: outer; caused by"
                + " java.io.IOException: inner; caused by java.lang.NullPointerException");
    }

    @Test
    void cutsRunawayMessages() {
        assertThat(Errors.describe(new RuntimeException("x".repeat(10_000)))).hasSize(Errors.MAX_LENGTH).endsWith("...");
    }

    @Test
    void backoffGrowsToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofMillis(300));

        assertThat(backoff.next(backoff.initial())).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.next(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.next(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(300));
    }
}
