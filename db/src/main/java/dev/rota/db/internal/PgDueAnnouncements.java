package dev.rota.db.internal;

import dev.rota.db.DatabaseConfig;
import dev.rota.db.DueAnnouncements;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DueAnnouncements} through LISTEN ({@link PgListen}) on a connection of its own: held for as long as
 * the leader leads, it must not take one of the pool's few connections from the loops that query.
 */
public final class PgDueAnnouncements implements DueAnnouncements {
    private static final Logger log = LoggerFactory.getLogger(PgDueAnnouncements.class);
    static final String CHANNEL = "rota_run_due";
    /** Each empty wait costs the leader a wake-up; closing aborts the connection, so a long one delays nothing. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final DatabaseConfig config;
    private final String prefix;

    public PgDueAnnouncements(DatabaseConfig config) {
        this.config = config;
        this.prefix = config.schema() + " ";
    }

    @Override
    public AutoCloseable listen(Consumer<Instant> earliestDue) {
        return PgListen.start("rota-run-due-" + config.schema(), CHANNEL, WAIT,
                () -> DriverManager.getConnection(config.url(), config.user(), config.password()),
                () -> earliestDue.accept(ANY), payload -> deliver(payload, earliestDue));
    }

    private void deliver(String payload, Consumer<Instant> earliestDue) {
        if (!payload.startsWith(prefix)) {
            return;
        }
        try {
            earliestDue.accept(Instant.ofEpochMilli(Long.parseLong(payload, prefix.length(), payload.length(), 10)));
        } catch (NumberFormatException e) {
            log.warn("ignoring a due announcement that cannot be read: {}", payload);
        }
    }
}
