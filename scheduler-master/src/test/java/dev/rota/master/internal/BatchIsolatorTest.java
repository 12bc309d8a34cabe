package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.db.FencedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchIsolatorTest {
    private final List<Integer> parked = new ArrayList<>();
    private int attempts;

    /** Applies a batch like a transaction: all or nothing, failing when it holds a poison item. */
    private Function<List<Integer>, List<String>> applier(Set<Integer> poison) {
        return items -> {
            attempts++;
            if (items.stream().anyMatch(poison::contains)) {
                throw new IllegalStateException("refused");
            }
            return items.stream().map(i -> "ok" + i).toList();
        };
    }

    @Test
    void onePoisonAmongGoodItemsIsParkedAndEveryOtherItemApplied() {
        List<Integer> items = IntStream.range(0, 500).boxed().toList();

        List<String> out = BatchIsolator.apply(items, applier(Set.of(137)), (item, e) -> parked.add(item), () -> true);

        assertThat(parked).containsExactly(137);
        assertThat(out).hasSize(499).doesNotContain("ok137").startsWith("ok0", "ok1").endsWith("ok499");
        assertThat(attempts).as("about 2 log2(n) extra attempts, not n").isLessThanOrEqualTo(1 + 2 * 9);
    }

    @Test
    void severalPoisonsAreAllFound() {
        List<String> out = BatchIsolator.apply(IntStream.range(0, 64).boxed().toList(), applier(Set.of(0, 31, 63)),
                (item, e) -> parked.add(item), () -> true);
        assertThat(parked).containsExactly(0, 31, 63);
        assertThat(out).hasSize(61);
    }

    @Test
    void whenTheStoreIsDownNothingIsBlamedOrParked() {
        assertThatThrownBy(() -> BatchIsolator.apply(List.of(1, 2, 3), applier(Set.of(2)), (item, e) -> parked.add(item),
                () -> false)).hasMessage("refused");
        assertThat(parked).isEmpty();
        assertThat(attempts).isEqualTo(1);
    }

    @Test
    void aFencedWriteEndsAtOnce() {
        assertThatThrownBy(() -> BatchIsolator.apply(List.of(1, 2), items -> {
            throw new FencedException(3, 4);
        }, (item, e) -> parked.add(item), () -> true)).isInstanceOf(FencedException.class);
        assertThat(parked).isEmpty();
    }
}
