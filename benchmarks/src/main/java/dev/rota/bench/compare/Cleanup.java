package dev.rota.bench.compare;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing what a run created without letting one failure hide the figures or skip the rest. */
final class Cleanup {
    private static final Logger log = LoggerFactory.getLogger(Cleanup.class);

    private Cleanup() {
    }

    static void quietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("cleanup failed: {}", e.toString());
        }
    }
}
