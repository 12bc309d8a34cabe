package dev.rota.db;

import dev.rota.model.Names;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Grants PostgreSQL roles exactly what each kind of Rota user needs in one schema. Run it as the role
 * that owns the schema (the one that ran the migrations); the roles themselves are made by the
 * database administrator ({@code CREATE ROLE name LOGIN PASSWORD ...}), or here as NOLOGIN group roles
 * when missing.
 *
 * <ul>
 *   <li>{@link Kind#RUNTIME}: masters. Reads and writes every table's rows; creates, alters and drops
 *       nothing.</li>
 *   <li>{@link Kind#READ_ONLY}: dashboards and {@code rota jobs list}. Reads every table.</li>
 *   <li>{@link Kind#TEAM}: one team. Inserts, changes and deletes its own jobs (row-level security on
 *       {@code job}: other teams' jobs are invisible, and moving a job to another team is refused);
 *       reads runs.</li>
 * </ul>
 */
public final class DatabaseRoles {
    /** What a role is for. */
    public enum Kind { RUNTIME, READ_ONLY, TEAM }

    private DatabaseRoles() {
    }

    /**
     * Grants {@code kind}'s privileges to {@code role} in {@code schema}, creating the role (NOLOGIN)
     * when it does not exist.
     *
     * @param team for {@link Kind#TEAM}, the team; null otherwise
     * @throws IllegalArgumentException when a name is not a plain identifier or a team is missing
     * @throws SQLException when PostgreSQL refuses (e.g. the caller does not own the schema)
     */
    public static void grant(Connection owner, String schema, String role, Kind kind, String team) throws SQLException {
        String s = identifier("schema", schema);
        String r = identifier("role", role);
        if ((kind == Kind.TEAM) != (team != null)) {
            throw new IllegalArgumentException(kind == Kind.TEAM ? "a team role needs a team" : kind + " takes no team");
        }
        if (team != null) {
            Names.requireValid("team", team);
        }
        List<String> sql = new java.util.ArrayList<>(List.of(
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + r + "') THEN CREATE ROLE "
                        + r + " NOLOGIN; END IF; END $$",
                "GRANT USAGE ON SCHEMA " + s + " TO " + r,
                "GRANT SELECT ON " + s + ".access_role, " + s + ".flyway_schema_history TO " + r));
        switch (kind) {
            case RUNTIME -> {
                sql.add("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s + " TO " + r);
                sql.add("REVOKE INSERT, UPDATE, DELETE ON " + s + ".access_role FROM " + r);
                sql.add("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r);
            }
            case READ_ONLY -> {
                sql.add("GRANT SELECT ON ALL TABLES IN SCHEMA " + s + " TO " + r);
                // Alert secrets are signing keys: readers see the rules, never the column that holds them.
                sql.add("REVOKE SELECT ON " + s + ".alert_rule FROM " + r);
                sql.add("GRANT SELECT (id, team, job_name, kinds, url, late_after_ms, leaderless_after_ms, enabled,"
                        + " created_by, created_at) ON " + s + ".alert_rule TO " + r);
            }
            case TEAM -> {
                sql.add("GRANT SELECT, INSERT, UPDATE, DELETE ON " + s + ".job TO " + r);
                sql.add("GRANT SELECT ON " + s + ".run, " + s + ".run_attempt TO " + r);
                sql.add("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s + " TO " + r);
            }
        }
        sql.add("INSERT INTO " + s + ".access_role (role_name, team) VALUES ('" + r + "', "
                + (team == null ? "NULL" : "'" + team + "'") + ") ON CONFLICT (role_name) DO UPDATE SET team = EXCLUDED.team");
        boolean auto = owner.getAutoCommit();
        owner.setAutoCommit(false);
        try (Statement st = owner.createStatement()) {
            for (String statement : sql) {
                st.execute(statement);
            }
            owner.commit();
        } catch (SQLException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(auto);
        }
    }

    /** Lowercase PostgreSQL identifiers only: they are spliced into GRANT statements. */
    private static String identifier(String what, String name) {
        if (name == null || !name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException(what + " must be a lowercase identifier ([a-z_][a-z0-9_]*, at most 63"
                    + " characters), was '" + name + "'");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
