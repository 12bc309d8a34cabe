package dev.rota.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rota.db.internal.JooqJobs;
import dev.rota.db.internal.JooqLeaderLease;
import dev.rota.db.internal.JooqRuns;
import dev.rota.db.internal.JooqSchedules;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * Rota's PostgreSQL database: a connection pool, the schema migration, and the three stores.
 * Thread-safe. Close it to close the pool.
 */
public final class RotaDatabase implements AutoCloseable {
    private final DatabaseConfig config;
    private final HikariDataSource dataSource;
    private final Jobs jobs;
    private final Runs runs;
    private final LeaderLease lease;
    private final BrokerClients brokerClients;
    private final ParkedMessages parked;
    private final Schedules schedules;
    private final EventOutbox eventOutbox;
    private final AdminQueries admin;
    private final ApiTokens tokens;
    private final IdempotencyKeys idempotencyKeys;
    private final Alerts alerts;

    private RotaDatabase(DatabaseConfig config) {
        this.config = config;
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.maxPoolSize());
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setPoolName("rota-db-" + config.schema());
        hikari.setConnectionInitSql("SET search_path TO \"" + config.schema() + "\"");
        // Lazy: a master must start (and report a clear error) even when the database is down.
        hikari.setInitializationFailTimeout(-1);
        this.dataSource = new HikariDataSource(hikari);
        DSLContext dsl = DSL.using(dataSource, SQLDialect.POSTGRES,
                new Settings().withRenderSchema(false).withExecuteLogging(false));
        this.jobs = new JooqJobs(dsl);
        this.runs = new JooqRuns(dsl);
        this.lease = new JooqLeaderLease(dsl);
        this.brokerClients = new dev.rota.db.internal.JooqBrokerClients(dsl);
        this.parked = new dev.rota.db.internal.JooqParkedMessages(dsl);
        this.schedules = new JooqSchedules(dsl);
        this.eventOutbox = new dev.rota.db.internal.JooqEventOutbox(dsl);
        this.admin = new dev.rota.db.internal.JooqAdminQueries(dsl);
        this.tokens = new dev.rota.db.internal.JooqApiTokens(dsl);
        this.idempotencyKeys = new dev.rota.db.internal.JooqIdempotencyKeys(dsl);
        this.alerts = new dev.rota.db.internal.JooqAlerts(dsl);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Creates or upgrades the schema with Flyway; safe to call from several masters at once. */
    public void migrate() {
        flyway().migrate();
    }

    /**
     * How many migrations this version of Rota has that the schema lacks: 0 when it is current. Needs only
     * read access to the schema's history table, so roles that may not migrate can ask.
     */
    public int pendingMigrations() {
        return flyway().info().pending().length;
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(config.schema())
                .createSchemas(true)
                .locations("classpath:db/migration")
                .load();
    }

    public Jobs jobs() {
        return jobs;
    }

    public Runs runs() {
        return runs;
    }

    /** Submissions, workers and rejected messages of clients that speak only AMQP. */
    public BrokerClients brokerClients() {
        return brokerClients;
    }

    /** Messages leader consumers set aside (see {@link ParkedMessages}). */
    public ParkedMessages parked() {
        return parked;
    }

    public LeaderLease lease() {
        return lease;
    }

    /** The leader's schedule: job cursors, changes, deletions, planning and retention. */
    public Schedules schedules() {
        return schedules;
    }

    /** Completion events not yet confirmed by the broker. */
    public EventOutbox eventOutbox() {
        return eventOutbox;
    }

    /** What operators read and change (the leader never needs it). */
    public AdminQueries admin() {
        return admin;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    /** Run state changes as they commit, for live views. */
    public RunChanges runChanges() {
        return new dev.rota.db.internal.PgRunChanges(dataSource, config.schema());
    }

    /** Runs made due as they commit, to wake the leader's dispatcher. */
    public DueAnnouncements dueAnnouncements() {
        return new dev.rota.db.internal.PgDueAnnouncements(config);
    }

    /** Announcements of schedule changes, for the leader's planner; each {@code listen} holds a connection. */
    public ScheduleChanges scheduleChanges() {
        return new dev.rota.db.internal.PgScheduleChanges(config);
    }

    public IdempotencyKeys idempotencyKeys() {
        return idempotencyKeys;
    }

    /** Alert rules, and the deliveries the database makes for them with each event. */
    public Alerts alerts() {
        return alerts;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseConfig config() {
        return config;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** Builds a {@link RotaDatabase}; values are checked by {@link DatabaseConfig}. */
    public static final class Builder {
        private String url = DatabaseConfig.DEFAULT_URL;
        private String user = DatabaseConfig.DEFAULT_USER;
        private String password = "";
        private String schema = DatabaseConfig.DEFAULT_SCHEMA;
        private int maxPoolSize = DatabaseConfig.DEFAULT_MAX_POOL_SIZE;
        private Duration connectionTimeout = DatabaseConfig.DEFAULT_CONNECTION_TIMEOUT;

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder maxPoolSize(int maxPoolSize) {
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        public DatabaseConfig config() {
            return new DatabaseConfig(url, user, password, schema, maxPoolSize, connectionTimeout);
        }

        public RotaDatabase build() {
            return new RotaDatabase(config());
        }
    }
}
