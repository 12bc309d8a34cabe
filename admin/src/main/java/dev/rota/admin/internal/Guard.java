package dev.rota.admin.internal;

import dev.rota.admin.ForbiddenException;
import dev.rota.admin.Principal;
import dev.rota.admin.Role;

/** The authorization rules: a role at least as strong as the action needs, on a team the principal may act on. */
final class Guard {
    private Guard() {
    }

    static void require(Principal who, Role needed, String action) {
        if (!who.role().allows(needed)) {
            throw new ForbiddenException(who.name() + " (" + who.role().name().toLowerCase() + ") may not " + action
                    + ": it needs the " + needed.name().toLowerCase() + " role");
        }
    }

    static void require(Principal who, Role needed, String action, String team) {
        require(who, needed, action);
        if (!who.mayAct(team)) {
            throw new ForbiddenException(who.name() + " may act on team '" + who.team() + "' only, not on '" + team
                    + "' (" + action + ")");
        }
    }

    /** Cluster-wide actions: the role, and every team. */
    static void requireAllTeams(Principal who, Role needed, String action) {
        require(who, needed, action);
        if (!who.allTeams()) {
            throw new ForbiddenException(who.name() + " is scoped to team '" + who.team() + "'; " + action
                    + " needs a token for all teams");
        }
    }
}
