package dev.rota.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.master.EventFacts;
import dev.rota.master.EventFacts.Cause;
import dev.rota.master.MasterEvent;
import dev.rota.metrics.MetricsConfig;
import dev.rota.metrics.Scrapes;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The master's meters fed by hand: no I/O, no clock. */
class MasterMetersTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final MasterMeters meters = new MasterMeters(MetricsConfig.DEFAULTS.withJobLabelLimit(2));

    static EventFacts.Run run(long id, int attempt, String job, RunState state, Duration late, Cause cause) {
        return new EventFacts.Run(id, attempt, "ops", job, "report", state, T0, late == null ? null : T0.plus(late), cause);
    }

    double value(String name, String... labels) {
        return Scrapes.value(meters.scrape(), name, labels).orElse(-1);
    }

    @Test
    void jobNamesPastTheLimitAreCountedTogether() {
        for (String job : new String[] {"a", "b", "c", "d", "a"}) {
            meters.on(MasterEvent.RUN_FINISHED, run(1, 1, job, RunState.SUCCEEDED, null, Cause.RESULT));
        }
        meters.on(MasterEvent.RUN_FINISHED, run(2, 1, null, RunState.FAILED, null, Cause.RESULT));

        assertThat(value("rota_fires_total", "job", "a", "outcome", "SUCCEEDED")).isEqualTo(2);
        assertThat(value("rota_fires_total", "job", "b", "outcome", "SUCCEEDED")).isEqualTo(1);
        assertThat(value("rota_fires_total", "job", "_other", "outcome", "SUCCEEDED")).isEqualTo(2);
        assertThat(value("rota_fires_total", "job", "", "outcome", "FAILED")).isEqualTo(1);
        assertThat(meters.scrape()).doesNotContain("job=\"c\"").doesNotContain("job=\"d\"");
    }

    @Test
    void eachRunsLatenessIsRecordedOnceAndOnlyForItsFirstAttempt() {
        meters.on(MasterEvent.RUN_STARTED, run(1, 1, "a", RunState.RUNNING, Duration.ofMillis(30), Cause.RESULT));
        meters.on(MasterEvent.RUN_FINISHED, run(1, 1, "a", RunState.SUCCEEDED, Duration.ofMillis(30), Cause.RESULT));
        meters.on(MasterEvent.RUN_FINISHED, run(2, 1, "a", RunState.SUCCEEDED, Duration.ofSeconds(3), Cause.RESULT));
        meters.on(MasterEvent.RUN_STARTED, run(3, 2, "a", RunState.RUNNING, Duration.ofMinutes(1), Cause.RESULT));

        assertThat(value("rota_fire_lateness_seconds_count", "team", "ops")).isEqualTo(2);
        assertThat(value("rota_fire_lateness_seconds_bucket", "le", "0.05")).isEqualTo(1);
        assertThat(value("rota_fire_lateness_seconds_bucket", "le", "5.0")).isEqualTo(2);
    }

    @Test
    void skipsRetriesAndDeadLettersAreCountedByReason() {
        meters.on(MasterEvent.MISFIRES_SKIPPED, new EventFacts.Misfires("ops", "a", 3));
        meters.on(MasterEvent.FIRE_SKIPPED, run(1, 1, "a", RunState.SKIPPED, null, Cause.DISPATCH));
        meters.on(MasterEvent.RUN_FINISHED, run(2, 1, "a", RunState.SKIPPED, null, Cause.STARTING_DEADLINE));
        meters.on(MasterEvent.RUN_RESCHEDULED, run(3, 2, "a", RunState.SCHEDULED, null, Cause.WORKER_LOST));
        meters.on(MasterEvent.RUN_FINISHED, run(4, 1, "a", RunState.DEAD, null, Cause.DEAD_LETTERED));

        assertThat(value("rota_fires_skipped_total", "reason", "misfire_policy")).isEqualTo(3);
        assertThat(value("rota_fires_skipped_total", "reason", "concurrency_policy")).isEqualTo(1);
        assertThat(value("rota_fires_skipped_total", "reason", "starting_deadline")).isEqualTo(1);
        assertThat(value("rota_retries_total", "cause", "worker_lost")).isEqualTo(1);
        assertThat(value("rota_dead_letters_total", "task_type", "report")).isEqualTo(1);
        assertThat(value("rota_fires_total", "outcome", "DEAD")).isEqualTo(1);
    }

    @Test
    void batchesAreMeasured() {
        meters.on(MasterEvent.DISPATCH_BATCH, new EventFacts.Batch(40, Duration.ofMillis(20)));
        meters.on(MasterEvent.RESULT_BATCH, new EventFacts.Batch(7, Duration.ofMillis(3)));

        assertThat(value("rota_dispatch_batch_size_sum")).isEqualTo(40);
        assertThat(value("rota_dispatch_batch_size_bucket", "le", "50.0")).isEqualTo(1);
        assertThat(value("rota_dispatch_batch_seconds_sum")).isEqualTo(0.02);
        assertThat(value("rota_result_batch_size_bucket", "le", "5.0")).isEqualTo(0);
        assertThat(value("rota_result_batch_size_bucket", "le", "10.0")).isEqualTo(1);
    }
}
