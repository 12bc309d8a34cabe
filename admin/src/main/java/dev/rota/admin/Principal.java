package dev.rota.admin;

import java.util.Objects;
import java.util.Set;

/**
 * Who is acting: a name for the audit log, a role, and the one team it may act on (null: every team).
 */
public record Principal(String name, Role role, String team) {
    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
    }

    /** Someone with the database's credentials: the CLI in direct mode. Admin of every team. */
    public static Principal databaseUser(String user) {
        return new Principal("db:" + user, Role.ADMIN, null);
    }

    public boolean allTeams() {
        return team == null;
    }

    /** The teams a list may show: null (all) or this principal's one team. */
    public Set<String> visibleTeams() {
        return team == null ? null : Set.of(team);
    }

    public boolean mayAct(String onTeam) {
        return team == null || team.equals(onTeam);
    }
}
