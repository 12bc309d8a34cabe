package dev.rota.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentileIsTheNearestRankOfTheSortedValues() {
        long[] oneToHundred = new long[100];
        for (int i = 0; i < 100; i++) {
            oneToHundred[99 - i] = i + 1;
        }
        assertThat(Stats.percentile(oneToHundred, 0.5)).isEqualTo(50);
        assertThat(Stats.percentile(oneToHundred, 0.99)).isEqualTo(99);
        assertThat(Stats.percentile(oneToHundred, 1.0)).isEqualTo(100);
        assertThat(Stats.percentile(new long[] {7}, 0.5)).isEqualTo(7);
        assertThat(Stats.percentile(new long[] {10, 30, 20}, 0.5)).isEqualTo(20);
    }

    @Test
    void percentileLeavesItsInputUnsorted() {
        long[] values = {3, 1, 2};
        Stats.percentile(values, 0.5);
        assertThat(Arrays.equals(values, new long[] {3, 1, 2})).isTrue();
    }

    @Test
    void percentileRejectsNoValuesAndABadRank() {
        assertThatThrownBy(() -> Stats.percentile(new long[0], 0.5)).hasMessageContaining("no values");
        assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 1.5)).hasMessageContaining("was 1.5");
    }

    @Test
    void medianOfOddAndEvenCountsIgnoringMissingFigures() {
        assertThat(Stats.median(List.of(5.0, 1.0, 3.0)).getAsDouble()).isEqualTo(3.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0)).getAsDouble()).isEqualTo(2.5);
        assertThat(Stats.median(List.of(Double.NaN, 8.0)).getAsDouble()).isEqualTo(8.0);
        assertThat(Stats.median(List.of())).isEmpty();
    }

    @Test
    void ratioIsToTheFastestPeerForThroughputAndTheLeastLatePeerForLateness() {
        assertThat(Stats.ratioToBest(300, List.of(100.0, 600.0), true).getAsDouble()).isEqualTo(0.5);
        assertThat(Stats.ratioToBest(300, List.of(100.0, 600.0), false).getAsDouble()).isEqualTo(3.0);
    }

    @Test
    void noRatioWithoutAPeerFigureOrAgainstZero() {
        assertThat(Stats.ratioToBest(300, List.of(), true)).isEmpty();
        assertThat(Stats.ratioToBest(300, List.of(0.0), false)).isEmpty();
    }
}
