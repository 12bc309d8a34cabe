package dev.rota.metrics.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A label's values, bounded: the first {@code limit} distinct values are kept as they are, later ones are
 * reported as {@link #OTHER}, so a label can never make the series count grow without bound.
 */
final class BoundedLabel {
    static final String OTHER = "_other";

    private final int limit;
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();

    BoundedLabel(int limit) {
        this.limit = limit;
    }

    /** The value to report for {@code value}; null becomes the empty string (no job: a one-off task). */
    String of(String value) {
        if (value == null) {
            return "";
        }
        if (admitted.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (admitted.size() < limit) {
                admitted.add(value);
                return value;
            }
        }
        return admitted.contains(value) ? value : OTHER;
    }
}
