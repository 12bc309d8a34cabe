package dev.rota.master.internal;

import dev.rota.db.FencedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Applies a batch so that one bad item cannot hold back the others: a batch that fails is split in two
 * and each half applied on its own, down to single items; a single item that still fails is handed to
 * {@code park} with the failure, and the rest are applied. A batch of n items with one bad item costs
 * about 2 log2(n) extra attempts.
 *
 * <p>A failure is only blamed on the items while {@code healthy} says the store answers: when the
 * database itself is down, the failure is rethrown and the caller keeps the whole batch for later.
 * A {@link FencedException} is always rethrown: the term is over.
 */
final class BatchIsolator {
    /** Receives an item that fails on its own, and why. */
    @FunctionalInterface
    interface Park<T> {
        void park(T item, RuntimeException cause);
    }

    private BatchIsolator() {
    }

    /** @return the outcomes of the items that were applied, in their order; parked items have none */
    static <T, R> List<R> apply(List<T> items, Function<List<T>, List<R>> apply, Park<T> park, BooleanSupplier healthy) {
        if (items.isEmpty()) {
            return List.of();
        }
        try {
            return apply.apply(items);
        } catch (FencedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!healthy.getAsBoolean()) {
                throw e;
            }
            if (items.size() == 1) {
                park.park(items.get(0), e);
                return List.of();
            }
            int half = items.size() / 2;
            List<R> out = new ArrayList<>(apply(items.subList(0, half), apply, park, healthy));
            out.addAll(apply(items.subList(half, items.size()), apply, park, healthy));
            return out;
        }
    }
}
