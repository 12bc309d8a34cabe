package dev.rota.admin;

import java.util.Locale;

/** What a principal may do; each role may do everything the roles before it may. */
public enum Role {
    /**
     * A worker without ZooKeeper: reads the settings it needs ({@link Admin#workerSettings}) and nothing
     * else, not even jobs or runs.
     */
    WORKER,
    /** Reads jobs, runs, the cluster and the audit log. */
    VIEWER,
    /** Also pauses, resumes and triggers jobs, submits tasks, re-runs and cancels runs. */
    OPERATOR,
    /** Also adds, changes and deletes jobs, manages tokens, and moves leadership. */
    ADMIN;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** @throws InvalidInputException naming the accepted values */
    public static Role parse(String field, String value) {
        try {
            return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new InvalidInputException(field, field + " '" + value + "' is not a role: use worker, viewer, operator or admin");
        }
    }
}
