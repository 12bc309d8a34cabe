package dev.rota.bench.compare;

import java.io.IOException;

/** What the child-process mains share. */
final class NodeMain {
    private NodeMain() {
    }

    /** Closes {@code node} and exits once standard input reaches its end (the harness closed it or died). */
    static void exitWhenStdinCloses(AutoCloseable node) {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    continue;
                }
            } catch (IOException e) {
                // Treated like the end of input.
            }
            Cleanup.quietly(node);
            System.exit(0);
        }, "bench-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
