package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Everyday commands change no schema; {@code rota db migrate} does, and {@code rota db grant} hands out roles. */
class DbCommandTest {
    private final String schema = TestServers.uniqueName("cli_db_").toLowerCase();
    private final String role = schema + "_billing";
    private final Map<String, String> env = Map.of("ROTA_DB_URL", TestServers.postgres().url(),
            "ROTA_DB_USER", TestServers.postgres().user(), "ROTA_DB_PASSWORD", TestServers.postgres().password(),
            "ROTA_DB_SCHEMA", schema);

    @AfterEach
    void dropSchemaAndRole() throws Exception {
        TestServers.dropSchema(schema);
        try (Connection c = TestServers.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void adminCommandsNeedAMigratedSchemaAndDoNotMigrateIt() {
        Cli.Result before = Cli.run(env, "jobs", "list");
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.err()).contains("schema " + schema, "migration(s) of this Rota: run 'rota db migrate'");
        assertThat(Cli.run(env, "jobs", "list").exitCode()).as("still not migrated").isEqualTo(1);

        Cli.Result migrate = Cli.run(env, "db", "migrate");
        assertThat(migrate.exitCode()).as(migrate.err()).isZero();
        assertThat(migrate.out()).isEqualTo("schema " + schema + " is current\n");
        assertThat(Cli.run(env, "jobs", "list").exitCode()).isZero();

        Cli.Result grant = Cli.run(env, "db", "grant", role, "--team", "billing");
        assertThat(grant.exitCode()).as(grant.err()).isZero();
        assertThat(grant.out()).isEqualTo("granted " + role + " team of team billing in schema " + schema + "\n");
        assertThat(Cli.run(env, "db", "grant", "Bad-Name", "--read-only").err()).contains("lowercase identifier");
    }
}
