package dev.rota.chaos;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness's own connections to the scenario's schema: plain JDBC for the workload, the checker
 * and fault injection ({@code pg_terminate_backend}). Its connections are named
 * {@code chaos-harness}, so that terminating a node's connections never hits them.
 */
public final class ChaosDatabase implements AutoCloseable {
    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final TestServers.Postgres server;
    private final String schema;
    private final HikariDataSource pool;

    ChaosDatabase(TestServers.Postgres server, String schema) {
        this.server = server;
        this.schema = schema;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(withApplicationName(server.url(), "chaos-harness"));
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(10_000);
        config.setPoolName("chaos-harness");
        config.setConnectionInitSql("SET search_path TO \"" + schema + "\"");
        pool = new HikariDataSource(config);
    }

    /** {@code url} with the JDBC driver's {@code ApplicationName} parameter set, to find a node's connections. */
    static String withApplicationName(String url, String name) {
        return url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + name;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (Connection c = pool.getConnection(); PreparedStatement st = prepare(c, sql, args);
             ResultSet rs = st.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    public long queryLong(String sql, Object... args) {
        List<Long> v = query(sql, rs -> rs.getLong(1), args);
        return v.isEmpty() ? 0 : v.get(0);
    }

    public int update(String sql, Object... args) {
        try (Connection c = pool.getConnection(); PreparedStatement st = prepare(c, sql, args)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("update failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    public void execute(String sql) {
        try (Connection c = pool.getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a transaction that runs {@code sql} (e.g. {@code SELECT ... FOR UPDATE}) and keeps its locks
     * until the returned handle is closed, which commits: an operator's session left open.
     */
    public AutoCloseable holdLocks(String sql, Object... args) {
        try {
            Connection c = pool.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement st = prepare(c, sql, args)) {
                st.execute();
            }
            return () -> {
                try (c) {
                    c.commit();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot hold locks of " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The database clock. */
    public Instant now() {
        return query("SELECT clock_timestamp()", rs -> rs.getTimestamp(1).toInstant()).get(0);
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                st.setTimestamp(i + 1, Timestamp.from(t));
            } else {
                st.setObject(i + 1, a);
            }
        }
        return st;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    @Override
    public void close() {
        pool.close();
    }
}
