package dev.rota.admin;

/**
 * Which jobs to list; every field optional. {@code cursor} is a page's {@link Page#next()}; {@code limit}
 * null means {@link Admin#DEFAULT_PAGE_SIZE}, at most {@link Admin#MAX_PAGE_SIZE}.
 *
 * @param text    a case-insensitive substring of the job name
 * @param failing true: only jobs whose latest finished run ended FAILED, TIMED_OUT or DEAD; false: the others
 */
public record JobQuery(String team, String taskType, Boolean enabled, String text, String cursor, Integer limit,
        Boolean failing) {

    public JobQuery(String team, String taskType, Boolean enabled, String text, String cursor, Integer limit) {
        this(team, taskType, enabled, text, cursor, limit, null);
    }

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null, null);
    }
}
