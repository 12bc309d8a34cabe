package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.db.DatabaseRoles.Kind;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real PostgreSQL roles: a team's role changes only its own jobs with plain SQL; read-only reads; runtime writes rows only. */
class DatabaseRolesTest extends DatabaseTest {
    private String billing;
    private String ops;
    private String reader;
    private String runtime;

    @BeforeAll
    void createRoles() throws SQLException {
        billing = schema + "_billing";
        ops = schema + "_ops";
        reader = schema + "_reader";
        runtime = schema + "_runtime";
        try (Connection c = TestServers.postgres().connect()) {
            DatabaseRoles.grant(c, schema, billing, Kind.TEAM, "billing");
            DatabaseRoles.grant(c, schema, ops, Kind.TEAM, "ops");
            DatabaseRoles.grant(c, schema, reader, Kind.READ_ONLY, null);
            DatabaseRoles.grant(c, schema, runtime, Kind.RUNTIME, null);
        }
    }

    @AfterAll
    void dropRoles() throws SQLException {
        try (Connection c = TestServers.postgres().connect(); Statement st = c.createStatement()) {
            for (String role : List.of(billing, ops, reader, runtime)) {
                st.execute("DROP OWNED BY " + role);
                st.execute("DROP ROLE " + role);
            }
        }
    }

    @BeforeEach
    void oneJobPerTeam() {
        sql("INSERT INTO job (team, name, cron, task_type) VALUES ('billing', 'invoices', '0 * * * * ?', 'log'),"
                + " ('ops', 'backup', '0 * * * * ?', 'log')");
    }

    private Connection as(String role) throws SQLException {
        Connection c = TestServers.postgres().connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            st.execute("SET ROLE " + role);
        }
        return c;
    }

    private static long count(Connection c, String query) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int update(Connection c, String statement) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate(statement);
        }
    }

    @Test
    void aTeamRoleSeesInsertsAndChangesOnlyItsOwnJobs() throws SQLException {
        try (Connection c = as(billing)) {
            assertThat(count(c, "SELECT count(*) FROM job")).isEqualTo(1);
            assertThat(update(c, "INSERT INTO job (team, name, cron, task_type) VALUES ('billing', 'dunning', '0 0 * * * ?', 'log')"))
                    .isEqualTo(1);
            assertThat(update(c, "UPDATE job SET enabled = false WHERE name = 'invoices'")).isEqualTo(1);
            assertThat(update(c, "UPDATE job SET enabled = false WHERE team = 'ops'")).isZero();
            assertThat(update(c, "DELETE FROM job WHERE team = 'ops'")).isZero();
            assertThat(update(c, "DELETE FROM job WHERE name = 'dunning'")).isEqualTo(1);
            assertThatThrownBy(() -> update(c, "INSERT INTO job (team, name, cron, task_type) VALUES ('ops', 'evil', '* * * * * ?', 'log')"))
                    .hasMessageContaining("row-level security");
            assertThatThrownBy(() -> update(c, "UPDATE job SET team = 'ops' WHERE name = 'invoices'"))
                    .hasMessageContaining("row-level security");
            assertThatThrownBy(() -> update(c, "UPDATE run SET state = 'SUCCEEDED'")).hasMessageContaining("permission denied");
        }
        assertThat(value("SELECT enabled FROM job WHERE team = 'ops'")).isEqualTo(true);
        assertThat(count("SELECT count(*) FROM job")).isEqualTo(2);
    }

    @Test
    void theReadOnlyRoleReadsEverythingAndWritesNothing() throws SQLException {
        try (Connection c = as(reader)) {
            assertThat(count(c, "SELECT count(*) FROM job")).isEqualTo(2);
            assertThat(count(c, "SELECT count(*) FROM run")).isZero();
            assertThatThrownBy(() -> update(c, "UPDATE job SET enabled = false")).hasMessageContaining("permission denied");
            assertThat(count(c, "SELECT count(url) FROM alert_rule")).isZero();
            assertThatThrownBy(() -> count(c, "SELECT count(secret) FROM alert_rule"))
                    .as("alert signing secrets").hasMessageContaining("permission denied");
        }
    }

    @Test
    void theRuntimeRoleWritesRowsOfEveryTeamButChangesNoSchema() throws SQLException {
        try (Connection c = as(runtime)) {
            assertThat(update(c, "UPDATE job SET schedule_error = 'x'")).isEqualTo(2);
            assertThat(update(c, "INSERT INTO run (task_type) VALUES ('log')")).isEqualTo(1);
            assertThatThrownBy(() -> update(c, "CREATE TABLE " + schema + ".intruder (id int)"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> update(c, "ALTER TABLE job DISABLE ROW LEVEL SECURITY"))
                    .hasMessageContaining("must be owner");
            assertThatThrownBy(() -> update(c, "INSERT INTO access_role VALUES ('" + runtime + "', NULL)"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void badNamesAreRefusedBeforeAnySql() throws SQLException {
        try (Connection c = TestServers.postgres().connect()) {
            assertThatThrownBy(() -> DatabaseRoles.grant(c, schema, "x; DROP TABLE job", Kind.READ_ONLY, null))
                    .hasMessageContaining("role must be a lowercase identifier");
            assertThatThrownBy(() -> DatabaseRoles.grant(c, schema, billing, Kind.TEAM, null))
                    .hasMessageContaining("needs a team");
        }
    }
}
