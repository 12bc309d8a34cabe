package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.Runs.TaskTypeActivity;
import dev.rota.master.Backlog.TaskTypeLoad;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BacklogMonitorTest {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Duration THRESHOLD = Duration.ofMinutes(1);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static TaskTypeLoad load(long ready, int consumers, int capacity, long queued, long started) {
        return BacklogMonitor.load("report", ready, consumers, capacity, new TaskTypeActivity("report", queued, started),
                WINDOW, THRESHOLD, NOW);
    }

    @Test
    void theSlowWorkerOfTheIssueIsBehind() {
        // 200 every-second jobs, one worker of capacity 4 with a 2 s handler: 2 starts a second, 37,000 waiting.
        TaskTypeLoad l = load(37_000, 1, 4, 37_004, 120);
        assertThat(l.startsPerSecond()).isEqualTo(2.0);
        assertThat(l.estimatedWait()).isEqualTo(Duration.ofMillis(18_500_000));
        assertThat(l.behind()).isTrue();
    }

    @Test
    void aBacklogWorkersClearWithinTheThresholdIsNotBehind() {
        TaskTypeLoad l = load(500, 2, 100, 600, 60_000);
        assertThat(l.estimatedWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(l.behind()).isFalse();
        assertThat(load(0, 0, 0, 0, 0).behind()).as("nothing waiting").isFalse();
    }

    @Test
    void messagesWithNoConsumerOrNoStartsAreBehind() {
        assertThat(load(3, 0, 0, 3, 0).behind()).isTrue();
        TaskTypeLoad stuck = load(50, 1, 4, 54, 0);
        assertThat(stuck.estimatedWait()).isNull();
        assertThat(stuck.behind()).as("more queued than the workers hold, and nothing started").isTrue();
        assertThat(load(2, 1, 4, 3, 0).behind()).as("a short queue that fits in the workers' capacity").isFalse();
    }
}
