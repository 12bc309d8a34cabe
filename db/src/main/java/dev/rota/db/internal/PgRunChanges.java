package dev.rota.db.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.RunChange;
import dev.rota.db.RunChanges;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RunChanges} through LISTEN ({@link PgListen}) on one pooled connection held by a daemon thread.
 */
public final class PgRunChanges implements RunChanges {
    private static final Logger log = LoggerFactory.getLogger(PgRunChanges.class);
    static final String CHANNEL = "rota_run_changes";
    private static final java.time.Duration WAIT = java.time.Duration.ofMillis(250);

    private final DataSource dataSource;
    private final String schema;
    private final ObjectMapper json = new ObjectMapper();

    public PgRunChanges(DataSource dataSource, String schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    @Override
    public AutoCloseable listen(Consumer<RunChange> consumer) {
        return PgListen.start("rota-run-changes-" + schema, CHANNEL, WAIT, dataSource::getConnection, () -> { },
                payload -> deliver(payload, consumer));
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
