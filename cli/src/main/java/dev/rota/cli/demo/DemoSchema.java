package dev.rota.cli.demo;

import dev.rota.db.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Drops the demo schema so that each demo starts from an empty database; the first master recreates it. */
final class DemoSchema {
    private DemoSchema() {
    }

    /**
     * @throws SQLException when PostgreSQL cannot be reached or refuses
     */
    static void wipe(DatabaseConfig config) throws SQLException {
        // The schema name is safe to quote: DatabaseConfig admits only [a-z_][a-z0-9_]*.
        try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + config.schema() + "\" CASCADE");
        }
    }
}
