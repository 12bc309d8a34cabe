package dev.rota.worker.internal;

import dev.rota.model.RunLog;
import java.time.Clock;

/**
 * The log one attempt's handler writes, bounded to {@code maxBytes} of UTF-8: lines past the bound are
 * dropped and the log ends with {@link RunLog#TRUNCATION_MARKER}. Thread-safe, since a handler may log
 * from threads of its own; once {@linkplain #close() closed}, further lines are ignored.
 */
final class AttemptLog {
    private final Clock clock;
    private final int maxBytes;
    private final StringBuilder text = new StringBuilder();
    private int bytes;
    private boolean full;
    private boolean closed;

    AttemptLog(Clock clock, int maxBytes) {
        this.clock = clock;
        this.maxBytes = RunLog.requireBound("maxLogBytes", maxBytes);
    }

    /** Appends {@code line} with the time it was written, e.g. {@code 2026-11-29T08:30:00.123Z copied 12 rows}. */
    synchronized void append(String line) {
        if (full || closed) {
            return;
        }
        String entry = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + " " + line + "\n";
        int size = RunLog.utf8Bytes(entry);
        text.append(entry);
        if (bytes + size <= maxBytes) {
            bytes += size;
            return;
        }
        full = true;
        String cut = RunLog.truncate(text.toString(), maxBytes);
        text.setLength(0);
        text.append(cut);
    }

    /** The log as written so far, or null when nothing was; later lines are ignored. */
    synchronized String close() {
        closed = true;
        return text.isEmpty() ? null : text.toString();
    }
}
