package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunLogTest {

    @Test
    void aLogWithinTheBoundIsKeptAsItIs() {
        String log = "a".repeat(100);
        assertThat(RunLog.truncate(log, 100)).isSameAs(log);
        assertThat(RunLog.truncate(null, 100)).isNull();
    }

    @Test
    void aLongerLogKeepsItsBeginningAndEndsWithTheMarkerWithinTheBound() {
        int bound = 200;
        String cut = RunLog.truncate("x".repeat(1000), bound);

        assertThat(cut).endsWith(RunLog.TRUNCATION_MARKER).startsWith("xxx");
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(bound);
    }

    @Test
    void theBoundCountsUtf8BytesAndNeverSplitsASurrogatePair() {
        String clef = "\uD834\uDD1E";
        String log = clef.repeat(500);
        assertThat(RunLog.utf8Bytes(log)).isEqualTo(log.getBytes(StandardCharsets.UTF_8).length).isEqualTo(2000);

        String cut = RunLog.truncate(log, 203);

        String kept = cut.substring(0, cut.length() - RunLog.TRUNCATION_MARKER.length());
        assertThat(kept).matches("(" + clef + ")+");
        assertThat(RunLog.utf8Bytes(cut)).isLessThanOrEqualTo(203).isGreaterThan(203 - 4);
    }

    @Test
    void aBoundOutsideItsRangeIsNamedWithTheLimits() {
        assertThatThrownBy(() -> RunLog.requireBound("maxLogBytes", RunLog.MAX_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLogBytes")
                .hasMessageContaining(String.valueOf(RunLog.MAX_BYTES));
        assertThatThrownBy(() -> RunLog.requireBound("maxLogBytes", RunLog.MARKER_BYTES))
                .hasMessageContaining("maxLogBytes");
        assertThat(RunLog.requireBound("maxLogBytes", RunLog.MAX_BYTES)).isEqualTo(RunLog.MAX_BYTES);
    }
}
