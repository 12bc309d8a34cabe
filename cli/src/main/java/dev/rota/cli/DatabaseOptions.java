package dev.rota.cli;

import dev.rota.db.DatabaseConfig;
import dev.rota.db.RotaDatabase;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The cluster's database: how to reach PostgreSQL and which schema Rota's tables live in. */
public final class DatabaseOptions {
    /** Admin commands need a connection or two, not a pool. */
    static final int ADMIN_POOL_SIZE = 2;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Mixin
    PostgresOptions postgres;

    @Env("ROTA_DB_SCHEMA")
    @Option(names = "--db-schema", paramLabel = "SCHEMA", defaultValue = DatabaseConfig.DEFAULT_SCHEMA,
            description = "Schema holding Rota's tables; created if missing (env ROTA_DB_SCHEMA; default: ${DEFAULT-VALUE}).")
    String schema;

    /**
     * @throws ParameterException when the URL or schema is malformed, naming it
     */
    public DatabaseConfig config(int poolSize) {
        try {
            return RotaDatabase.builder().url(postgres.url()).user(postgres.user()).password(postgres.password())
                    .schema(schema).maxPoolSize(poolSize).connectionTimeout(postgres.connectionTimeout()).config();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage(), e);
        }
    }

    public DatabaseConfig config() {
        return config(DatabaseConfig.DEFAULT_MAX_POOL_SIZE);
    }

    /**
     * Opens the database for an admin command. It changes no schema: one that is missing or behind is an
     * error that says to run {@code rota db migrate} (as the schema's owner), so that everyday commands
     * can run with roles that may not create or alter tables. The caller closes it.
     *
     * @throws CommandFailedException when PostgreSQL cannot be reached or the schema is not current
     */
    public RotaDatabase open() {
        return open(false);
    }

    /**
     * Opens the database, creating or upgrading the schema first when {@code migrate}; for
     * {@code rota db migrate}.
     */
    public RotaDatabase open(boolean migrate) {
        DatabaseConfig config = config(ADMIN_POOL_SIZE);
        RotaDatabase db = RotaDatabase.builder().url(config.url()).user(config.user()).password(config.password())
                .schema(config.schema()).maxPoolSize(config.maxPoolSize())
                .connectionTimeout(config.connectionTimeout()).build();
        int pending;
        try {
            if (migrate) {
                db.migrate();
            }
            pending = db.pendingMigrations();
        } catch (RuntimeException e) {
            db.close();
            throw new CommandFailedException("cannot use PostgreSQL at " + config.url() + " (schema " + config.schema()
                    + "): " + Errors.describe(e), e);
        }
        if (pending > 0) {
            db.close();
            throw new CommandFailedException("schema " + config.schema() + " at " + config.url() + " lacks " + pending
                    + " migration(s) of this Rota: run 'rota db migrate' as the schema's owner (or start a master)");
        }
        return db;
    }
}
