package dev.rota.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rota.worker.TaskContext;
import dev.rota.worker.TaskHandler;
import dev.rota.worker.TaskHandlerProvider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

/**
 * The {@code record} task: optionally works for {@code sleepMs} (payload), then inserts one row per
 * execution into {@code chaos_execution} in the scenario's schema. With {@code "poison": "error"} it
 * then fails with an error text holding a NUL character, with {@code "poison": "result"} it returns a
 * result holding one: what an honest handler returning binary data produces, and PostgreSQL refuses. The row is written at the end, so
 * an execution cut short by a crash leaves none: the table counts completed executions, which the
 * {@link Checker} compares with the runs. Connection details come from the node's {@code ROTA_DB_*}
 * environment; the pool lives as long as the worker's JVM.
 */
public final class RecordHandlerProvider implements TaskHandlerProvider {
    public static final String TASK_TYPE = "record";
    /** The text a poisoned execution fails with or returns: binary output with a NUL character. */
    public static final String POISON_TEXT = "binary output \u0000\u0001 from the handler";

    @Override
    public String taskType() {
        return TASK_TYPE;
    }

    @Override
    public TaskHandler create() {
        Map<String, String> env = System.getenv();
        if (env.get("ROTA_DB_URL") == null) {
            return ctx -> {
                throw new IllegalStateException("record handler has no ROTA_DB_URL");
            };
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(env.get("ROTA_DB_URL"));
        config.setUsername(env.getOrDefault("ROTA_DB_USER", "postgres"));
        config.setPassword(env.getOrDefault("ROTA_DB_PASSWORD", ""));
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("chaos-record");
        config.setConnectionInitSql("SET search_path TO \"" + env.get("ROTA_DB_SCHEMA") + "\"");
        return new RecordHandler(new HikariDataSource(config));
    }

    private record RecordHandler(HikariDataSource db) implements TaskHandler {
        @Override
        public Object handle(TaskContext ctx) throws Exception {
            Instant started = Instant.now();
            long sleepMs = ctx.payload().path("sleepMs").asLong(0);
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
            insert(ctx, started);
            return switch (ctx.payload().path("poison").asText("")) {
                case "error" -> throw new IllegalStateException(POISON_TEXT);
                case "result" -> Map.of("output", POISON_TEXT);
                default -> null;
            };
        }

        private void insert(TaskContext ctx, Instant started) throws SQLException {
            try (Connection c = db.getConnection();
                 PreparedStatement st = c.prepareStatement("INSERT INTO chaos_execution (run_id, attempt, worker_id,"
                         + " job_name, scheduled_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, clock_timestamp())")) {
                st.setLong(1, ctx.runId());
                st.setInt(2, ctx.attempt());
                st.setString(3, ctx.workerId());
                st.setString(4, ctx.jobName());
                st.setTimestamp(5, Timestamp.from(ctx.scheduledAt()));
                st.setTimestamp(6, Timestamp.from(started));
                st.executeUpdate();
            }
        }
    }
}
