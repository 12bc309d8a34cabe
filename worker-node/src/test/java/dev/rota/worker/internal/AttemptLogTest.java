package dev.rota.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.model.RunLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AttemptLogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T08:30:00Z"), ZoneOffset.UTC);

    @Test
    void linesCarryTheirTimeAndEndWithANewline() {
        AttemptLog log = new AttemptLog(clock, 1024);
        log.append("copied 12 rows");
        log.append("done");

        assertThat(log.close()).isEqualTo("2026-11-29T08:30:00Z copied 12 rows\n2026-11-29T08:30:00Z done\n");
    }

    @Test
    void aLogOverItsBoundIsCutThereWithTheMarkerAndLaterLinesAreDropped() {
        AttemptLog log = new AttemptLog(clock, 500);
        for (int i = 0; i < 100; i++) {
            log.append("line " + i);
        }

        String text = log.close();
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(500);
        assertThat(text).startsWith("2026-11-29T08:30:00Z line 0\n").endsWith(RunLog.TRUNCATION_MARKER)
                .doesNotContain("line 99");
    }

    @Test
    void nothingWrittenIsNoLogAndLinesAfterCloseAreIgnored() {
        AttemptLog log = new AttemptLog(clock, 1024);
        assertThat(log.close()).isNull();
        log.append("too late");
        assertThat(log.close()).isNull();
    }
}
