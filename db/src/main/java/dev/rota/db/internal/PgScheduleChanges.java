package dev.rota.db.internal;

import dev.rota.db.DatabaseConfig;
import dev.rota.db.ScheduleChanges;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * {@link ScheduleChanges} through LISTEN ({@link PgListen}) on a connection of its own, outside the pool, as
 * {@link PgDueAnnouncements} does.
 */
public final class PgScheduleChanges implements ScheduleChanges {
    static final String CHANNEL = "rota_job_changed";
    /** Each empty wait costs the leader a wake-up; closing aborts the connection, so a long one delays nothing. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final DatabaseConfig config;

    public PgScheduleChanges(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    public AutoCloseable listen(Runnable changed) {
        return PgListen.start("rota-job-changed-" + config.schema(), CHANNEL, WAIT,
                () -> DriverManager.getConnection(config.url(), config.user(), config.password()),
                changed, payload -> {
                    if (payload.equals(config.schema())) {
                        changed.run();
                    }
                });
    }
}
