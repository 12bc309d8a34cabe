package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapGuardTest {
    private static final long MAX = 512L << 20;

    @Test
    void aHeapOverTheLimitAfterCollectionsOnThreeChecksInARowIsReported() {
        AtomicLong used = new AtomicLong(100L << 20);
        HeapGuard guard = new HeapGuard(0.9, used::get, MAX);
        assertThat(guard.check()).isNull();

        used.set(470L << 20);
        assertThat(guard.check()).isNull();
        assertThat(guard.check()).isNull();
        used.set(200L << 20);
        assertThat(guard.check()).as("a dip resets the count").isNull();
        used.set(470L << 20);
        assertThat(guard.check()).isNull();
        assertThat(guard.check()).isNull();
        assertThat(guard.check()).isEqualTo("470 MiB of the 512 MiB heap still in use after collections, over the limit"
                + " of 90 %, on 3 checks in a row");
    }

    @Test
    void theRealHeapIsMeasured() {
        assertThat(HeapGuard.heapUsedAfterLastCollections()).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
        assertThat(new HeapGuard(1.0).check()).isNull();
    }
}
