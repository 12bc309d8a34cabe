package dev.rota.admin;

import java.util.List;

/**
 * The outcome of a re-run or cancel over a filter.
 *
 * @param matched how many runs the filter matches now
 * @param dryRun  true when nothing was changed (only counted)
 * @param changed the runs changed (empty for a dry run)
 * @param skipped runs that matched but could not be changed (a state that changed meanwhile), with why
 */
public record BulkResult(long matched, boolean dryRun, List<Long> changed, List<String> skipped) {
}
