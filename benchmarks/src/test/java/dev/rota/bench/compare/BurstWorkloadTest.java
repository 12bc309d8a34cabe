package dev.rota.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BurstWorkloadTest {

    @Test
    void countsMissingAndTwiceAndMeasuresFromTheDueInstant() {
        List<Execution> runs = List.of(new Execution("a", 1_000, 1_100), new Execution("b", 1_000, 1_500),
                new Execution("b", 1_000, 3_000), new Execution("c", 1_000, 2_000));
        Figures f = BurstWorkload.summarize(runs, 4, 1_000);
        assertThat(f.values()).containsEntry(Metric.MISSING, 1.0).containsEntry(Metric.TWICE, 1.0)
                .containsEntry(Metric.LATE_MAX, 1_000.0).containsEntry(Metric.LATE_P50, 500.0)
                .containsEntry(Metric.THROUGHPUT, 3.0);
    }

    @Test
    void aFireWindowCountsEachJobSecondOnce() {
        List<Execution> runs = List.of(new Execution("cron-0", 10_000, 10_050), new Execution("cron-0", 10_000, 10_070),
                new Execution("cron-1", 10_000, 10_020), new Execution("cron-0", 11_000, 11_010),
                new Execution("cron-1", 12_000, 12_010));
        Figures f = FireWindow.summarize(runs, 2, 10_000, 12_000);
        assertThat(f.values()).containsEntry(Metric.MISSED, 1.0).containsEntry(Metric.DOUBLED, 1.0)
                .containsEntry(Metric.LATE_MAX, 50.0);
    }
}
