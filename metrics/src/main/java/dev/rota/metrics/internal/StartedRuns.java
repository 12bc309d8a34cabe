package dev.rota.metrics.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs whose start was already measured, so that each run's lateness is recorded once: at RUN_STARTED
 * when the worker's STARTED was applied on its own, else at RUN_FINISHED (a fast task's STARTED and final
 * result arrive together, and the final one implies the start). Holds only runs between the two, about
 * the cluster's running tasks; bounded anyway, as a lost final result would otherwise leave its id here.
 */
final class StartedRuns {
    static final int MAX = 100_000;

    private final Set<Long> ids = ConcurrentHashMap.newKeySet();

    /** True when this start is the first seen for the run. */
    boolean started(long runId) {
        if (ids.size() >= MAX) {
            ids.clear();
        }
        return ids.add(runId);
    }

    /** True when the run's start was measured already; forgets it. */
    boolean ended(long runId) {
        return ids.remove(runId);
    }

    void clear() {
        ids.clear();
    }
}
