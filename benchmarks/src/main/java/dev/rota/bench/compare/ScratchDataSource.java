package dev.rota.bench.compare;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A connection pool whose connections live in one scratch schema: how each peer gets its own tables. */
final class ScratchDataSource {
    private ScratchDataSource() {
    }

    static HikariDataSource open(String schema, int poolSize) {
        TestServers.Postgres pg = TestServers.postgres();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.url());
        config.setUsername(pg.user());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("bench-" + schema);
        config.setConnectionInitSql("SET search_path TO \"" + schema + "\"");
        return new HikariDataSource(config);
    }

    /** Creates the schema afresh and runs {@code ddl} (statements separated by semicolons) in it. */
    static void createSchema(String schema, String ddl) {
        TestServers.createSchema(schema);
        try (Connection c = TestServers.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO \"" + schema + "\"");
            st.execute(ddl);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the tables in schema " + schema + ": " + e.getMessage(), e);
        }
    }
}
