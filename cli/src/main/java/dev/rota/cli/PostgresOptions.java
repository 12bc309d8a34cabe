package dev.rota.cli;

import dev.rota.db.DatabaseConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How to reach PostgreSQL: URL, credentials and connection timeout (the schema is chosen separately). */
public final class PostgresOptions {
    @Env("ROTA_DB_URL")
    @Option(names = "--db-url", paramLabel = "JDBC_URL", defaultValue = DatabaseConfig.DEFAULT_URL,
            description = "PostgreSQL JDBC URL (env ROTA_DB_URL; default: ${DEFAULT-VALUE}).")
    String url;

    @Env("ROTA_DB_USER")
    @Option(names = "--db-user", paramLabel = "USER", defaultValue = DatabaseConfig.DEFAULT_USER,
            description = "PostgreSQL user (env ROTA_DB_USER; default: ${DEFAULT-VALUE}).")
    String user;

    @Env("ROTA_DB_PASSWORD")
    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "", hidden = true,
            description = "Refused on the command line: set ROTA_DB_PASSWORD or use --db-password-file.")
    String password;

    @Env("ROTA_DB_PASSWORD_FILE")
    @Option(names = "--db-password-file", paramLabel = "FILE",
            description = "File holding the PostgreSQL password (env ROTA_DB_PASSWORD_FILE; or the password itself"
                    + " in env ROTA_DB_PASSWORD; default: empty). Never on the command line.")
    java.nio.file.Path passwordFile;

    @Env("ROTA_DB_CONNECTION_TIMEOUT")
    @Option(names = "--db-connection-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for a database connection"
                    + " (env ROTA_DB_CONNECTION_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration connectionTimeout;

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return Secrets.fromFileOr("--db-password-file", passwordFile, password);
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }
}
