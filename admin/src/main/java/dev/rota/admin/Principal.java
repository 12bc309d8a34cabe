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

    /** The teams a list may show: null (all) or this principal's one team; none for a worker. */
    public Set<String> visibleTeams() {
        if (!role.allows(Role.VIEWER)) {
            return Set.of();
        }
        return team == null ? null : Set.of(team);
    }

    /** Whether it may see or act on {@code onTeam}'s jobs and runs (its role decides what it may do there). */
    public boolean mayAct(String onTeam) {
        return role.allows(Role.VIEWER) && (team == null || team.equals(onTeam));
    }
}
