package dev.rota.db;

/**
 * Which jobs to list, in (team, name) order, starting after a key. Every field but {@code limit} is
 * optional (null: no filter).
 *
 * @param teams     the teams to include; null for all
 * @param text      a case-insensitive substring of the job name
 * @param afterTeam with {@code afterName}, the key of the last job of the previous page
 * @param failing   true: only jobs whose latest finished run ended FAILED, TIMED_OUT or DEAD; false: only
 *                  the others
 */
public record JobFilter(java.util.Set<String> teams, String taskType, Boolean enabled, String text, String afterTeam,
        String afterName, int limit, Boolean failing) {

    public JobFilter(java.util.Set<String> teams, String taskType, Boolean enabled, String text, String afterTeam,
            String afterName, int limit) {
        this(teams, taskType, enabled, text, afterTeam, afterName, limit, null);
    }

    public JobFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if ((afterTeam == null) != (afterName == null)) {
            throw new IllegalArgumentException("afterTeam and afterName go together");
        }
        teams = teams == null ? null : java.util.Set.copyOf(teams);
    }
}
