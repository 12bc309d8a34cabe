package dev.rota.metrics.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A dependency checked in the background: up while its last successful check is younger than
 * {@code staleAfter}. A check that hangs (a cut connection) therefore counts as down after that long,
 * without any request waiting for it.
 */
public final class FreshnessCheck {
    private final BooleanSupplier check;
    private final long staleAfterNanos;
    private volatile long lastOkNanos;
    private volatile boolean everOk;

    public FreshnessCheck(BooleanSupplier check, Duration staleAfter) {
        this.check = check;
        this.staleAfterNanos = staleAfter.toNanos();
    }

    /** Runs the check once (on the ticker's thread). */
    public void run() {
        boolean ok;
        try {
            ok = check.getAsBoolean();
        } catch (RuntimeException e) {
            ok = false;
        }
        if (ok) {
            lastOkNanos = System.nanoTime();
            everOk = true;
        }
    }

    public boolean up() {
        return everOk && System.nanoTime() - lastOkNanos < staleAfterNanos;
    }
}
