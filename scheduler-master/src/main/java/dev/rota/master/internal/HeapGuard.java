package dev.rota.master.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;

/**
 * Tells whether the leader still holds its schedule in memory: the heap in use right after the last
 * collections (what survives, not garbage) against the maximum heap. A leader past the limit on
 * {@value #STRIKES} checks in a row would soon live in full collections; it should step down instead.
 */
final class HeapGuard {
    static final int STRIKES = 3;

    private final double maxUse;
    private final LongSupplier usedAfterGc;
    private final long maxHeap;
    private int strikes;

    HeapGuard(double maxUse) {
        this(maxUse, HeapGuard::heapUsedAfterLastCollections, Runtime.getRuntime().maxMemory());
    }

    HeapGuard(double maxUse, LongSupplier usedAfterGc, long maxHeap) {
        this.maxUse = maxUse;
        this.usedAfterGc = usedAfterGc;
        this.maxHeap = maxHeap;
    }

    /** @return null while the heap is fine, else why the leader cannot hold its schedule */
    String check() {
        long used = usedAfterGc.getAsLong();
        if (used <= maxUse * maxHeap) {
            strikes = 0;
            return null;
        }
        if (++strikes < STRIKES) {
            return null;
        }
        return String.format("%d MiB of the %d MiB heap still in use after collections, over the limit of %.0f %%,"
                + " on %d checks in a row", used >> 20, maxHeap >> 20, maxUse * 100, strikes);
    }

    /** The sum over heap pools of what the last collection of each left in use (MemoryPoolMXBean). */
    static long heapUsedAfterLastCollections() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (afterGc != null) {
                used += afterGc.getUsed();
            }
        }
        return used;
    }
}
