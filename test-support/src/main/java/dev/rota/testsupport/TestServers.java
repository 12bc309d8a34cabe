package dev.rota.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.RabbitMQContainer;

/**
 * Where the tests' PostgreSQL and RabbitMQ are. Looked up once per JVM, in this order:
 * <ol>
 *   <li>environment variables {@code ROTA_TEST_DB_URL} (with {@code ROTA_TEST_DB_USER},
 *       {@code ROTA_TEST_DB_PASSWORD}) and {@code ROTA_TEST_AMQP_URI};</li>
 *   <li>Testcontainers, when a Docker engine answers;</li>
 *   <li>the local services: {@code jdbc:postgresql://127.0.0.1:5432/postgres} as {@code postgres},
 *       and {@code amqp://guest:guest@127.0.0.1:5672/%2F}.</li>
 * </ol>
 * Tests isolate themselves with a fresh {@link #uniqueName(String) namespace}: a database schema of
 * that name and RabbitMQ names derived from it.
 */
public final class TestServers {
    private static final Logger log = LoggerFactory.getLogger(TestServers.class);

    public static final String LOCAL_DB_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String LOCAL_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/%2F";

    private static volatile Postgres postgres;
    private static volatile String amqpUri;
    private static volatile Boolean docker;

    /** Connection details of a PostgreSQL server. */
    public record Postgres(String url, String user, String password) {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private TestServers() {
    }

    public static synchronized Postgres postgres() {
        if (postgres == null) {
            postgres = findPostgres(System.getenv());
            log.info("tests use PostgreSQL at {}", postgres.url());
        }
        return postgres;
    }

    public static synchronized String amqpUri() {
        if (amqpUri == null) {
            amqpUri = findRabbit(System.getenv());
            log.info("tests use RabbitMQ at {}", amqpUri.replaceAll("//[^@]*@", "//***@"));
        }
        return amqpUri;
    }

    /** A fresh name usable as namespace, schema and id: {@code prefix} plus random hex. */
    public static String uniqueName(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Creates a schema (dropping any old one of that name). */
    public static void createSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE; CREATE SCHEMA \"" + schema + "\"");
    }

    public static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    private static void execute(String sql) {
        try (Connection c = postgres().connect(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + postgres().url(), e);
        }
    }

    static Postgres findPostgres(Map<String, String> env) {
        String url = env.get("ROTA_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return new Postgres(url, env.getOrDefault("ROTA_TEST_DB_USER", "postgres"),
                    env.getOrDefault("ROTA_TEST_DB_PASSWORD", ""));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:15-alpine");
            container.start();
            return new Postgres(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        return new Postgres(LOCAL_DB_URL, "postgres", "");
    }

    static String findRabbit(Map<String, String> env) {
        String uri = env.get("ROTA_TEST_AMQP_URI");
        if (uri != null && !uri.isBlank()) {
            return uri;
        }
        if (dockerAvailable()) {
            RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management-alpine");
            container.start();
            return container.getAmqpUrl().replace("amqp://", "amqp://guest:guest@");
        }
        return LOCAL_AMQP_URI;
    }

    private static boolean dockerAvailable() {
        if (docker == null) {
            boolean available;
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
            docker = available;
            log.info("Docker engine {}", available ? "available: using Testcontainers" : "not available: using local services");
        }
        return docker;
    }
}
