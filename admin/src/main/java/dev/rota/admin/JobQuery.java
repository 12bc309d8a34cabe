package dev.rota.admin;

/**
 * Which jobs to list; every field optional. {@code cursor} is a page's {@link Page#next()}; {@code limit}
 * null means {@link Admin#DEFAULT_PAGE_SIZE}, at most {@link Admin#MAX_PAGE_SIZE}.
 *
 * @param text a case-insensitive substring of the job name
 */
public record JobQuery(String team, String taskType, Boolean enabled, String text, String cursor, Integer limit) {
    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null, null);
    }
}
