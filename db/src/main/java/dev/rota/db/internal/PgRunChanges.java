package dev.rota.db.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.RunChange;
import dev.rota.db.RunChanges;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunChanges} through LISTEN on one pooled connection held by a daemon thread, which waits for
 * notifications and reconnects after a failure.
 */
public final class PgRunChanges implements RunChanges {
    private static final Logger log = LoggerFactory.getLogger(PgRunChanges.class);
    static final String CHANNEL = "rota_run_changes";
    private static final Duration WAIT = Duration.ofMillis(250);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final String schema;
    private final ObjectMapper json = new ObjectMapper();

    public PgRunChanges(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    @Override
    public AutoCloseable listen(Consumer<RunChange> consumer) {
        Thread thread = new Thread(() -> listenUntilInterrupted(consumer), "rota-run-changes-" + schema);
        thread.setDaemon(true);
        thread.start();
        return () -> {
            thread.interrupt();
            thread.join(WAIT.multipliedBy(8).toMillis());
        };
    }

    private void listenUntilInterrupted(Consumer<RunChange> consumer) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection c = dataSource.getConnection()) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!Thread.currentThread().isInterrupted()) {
                    PGNotification[] batch = pg.getNotifications((int) WAIT.toMillis());
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            deliver(n.getParameter(), consumer);
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN " + CHANNEL);
                }
            } catch (SQLException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                log.warn("listening for run changes failed, retrying in {}: {}", RETRY, e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void deliver(String payload, Consumer<RunChange> consumer) {
        try {
            JsonNode n = json.readTree(payload);
            if (!schema.equals(n.path("schema").asText())) {
                return;
            }
            consumer.accept(new RunChange(n.path("id").asLong(), n.path("state").asText(), n.path("team").asText(),
                    n.path("jobId").isNull() ? null : n.path("jobId").asLong(), text(n, "jobName"),
                    n.path("taskType").asText(), n.path("attempt").asInt(), text(n, "workerId")));
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("ignoring a run change that cannot be read: {}", e.toString());
        }
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isNull() || n.path(field).isMissingNode() ? null : n.path(field).asText();
    }
}
