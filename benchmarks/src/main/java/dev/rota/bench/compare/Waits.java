package dev.rota.bench.compare;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition (polled every 50 ms) or a wall-clock instant; the harness's only sleeps. */
final class Waits {
    private Waits() {
    }

    /** @return whether the condition became true before the timeout */
    static boolean until(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    static void untilWallClock(long epochMs) throws InterruptedException {
        long left;
        while ((left = epochMs - System.currentTimeMillis()) > 0) {
            Thread.sleep(Math.min(left, 200));
        }
    }
}
