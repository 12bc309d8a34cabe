package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdleBackoffTest {
    @Test
    void emptyPassesDoubleTheWaitUpToTheBoundAndWorkOrAResetBringsItBack() {
        IdleBackoff b = new IdleBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));

        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(5));
        assertThat(b.next(true)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(2));
        b.reset();
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aBoundBelowTheIntervalKeepsTheInterval() {
        IdleBackoff b = new IdleBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1));

        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.next(false)).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> new IdleBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
    }
}
