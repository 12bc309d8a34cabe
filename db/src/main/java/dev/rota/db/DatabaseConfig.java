package dev.rota.db;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable database settings; build with {@link RotaDatabase#builder()}.
 *
 * @param url               JDBC URL of a PostgreSQL database
 * @param schema            the schema Rota's tables live in (created by the migration)
 * @param maxPoolSize       connections in the pool
 * @param connectionTimeout how long to wait for a pooled connection
 */
public record DatabaseConfig(String url, String user, String password, String schema, int maxPoolSize,
        Duration connectionTimeout) {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String DEFAULT_USER = "postgres";
    public static final String DEFAULT_SCHEMA = "rota";
    public static final int DEFAULT_MAX_POOL_SIZE = 8;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public DatabaseConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database url must start with jdbc:postgresql:, was '" + url + "'");
        }
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema '" + schema + "' is invalid: use lower-case letters, digits and '_'");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
        }
        if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be at least 250 ms, was " + connectionTimeout);
        }
    }
}
