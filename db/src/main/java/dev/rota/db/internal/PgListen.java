package dev.rota.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTEN on one channel from a daemon thread of its own: hands each notification's payload to a consumer,
 * and after a failure reconnects. Notifications sent while it was not listening are lost; {@code onListening}
 * runs each time it (re)starts listening, so that a caller that needs them can look for itself. Closing
 * aborts the connection, which ends a wait for notifications at once.
 */
final class PgListen {
    private static final Logger log = LoggerFactory.getLogger(PgListen.class);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration JOIN = Duration.ofSeconds(2);

    /** A connection to listen on; closed when listening ends. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private PgListen() {
    }

    /**
     * Starts a thread named {@code threadName} that listens on {@code channel}, waking at least every
     * {@code wait} to look whether it was told to stop; {@code payloads} and {@code onListening} run on it and
     * must not block. Close the result to stop (it waits, bounded).
     */
    static AutoCloseable start(String threadName, String channel, Duration wait, ConnectionSource connections,
            Runnable onListening, Consumer<String> payloads) {
        AtomicReference<Connection> current = new AtomicReference<>();
        Thread thread = new Thread(() -> listenUntilInterrupted(channel, wait, () -> {
            Connection c = connections.open();
            current.set(c);
            return c;
        }, onListening, payloads), threadName);
        thread.setDaemon(true);
        thread.start();
        return () -> {
            thread.interrupt();
            Connection c = current.get();
            if (c != null) {
                try {
                    c.abort(Runnable::run);
                } catch (SQLException e) {
                    log.debug("aborting the connection listening on {}: {}", channel, e.toString());
                }
            }
            thread.join(JOIN.toMillis());
        };
    }

    private static void listenUntilInterrupted(String channel, Duration wait, ConnectionSource connections,
            Runnable onListening, Consumer<String> payloads) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection c = connections.open()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                onListening.run();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!Thread.currentThread().isInterrupted()) {
                    PGNotification[] batch = pg.getNotifications((int) wait.toMillis());
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            payloads.accept(n.getParameter());
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN " + channel);
                }
            } catch (SQLException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                log.warn("listening on {} failed, retrying in {}: {}", channel, RETRY, e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
