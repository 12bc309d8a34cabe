package dev.rota.db;

import dev.rota.model.RunState;
import java.time.Instant;
import java.util.Set;

/**
 * Which runs to list, newest scheduled first ({@code scheduled_at}, then id, descending), starting
 * after a key. Every field but {@code limit} is optional (null: no filter).
 *
 * @param teams           the teams to include; null for all
 * @param states          the states to include; null or empty for all
 * @param scheduledFrom   inclusive lower bound of {@code scheduled_at}
 * @param scheduledTo     exclusive upper bound of {@code scheduled_at}
 * @param text            a case-insensitive substring of the job name or the error
 * @param afterScheduled  with {@code afterId}, the key of the last run of the previous page
 */
public record RunFilter(Set<String> teams, Long jobId, String jobName, String taskType, Set<RunState> states,
        Instant scheduledFrom, Instant scheduledTo, String text, Instant afterScheduled, Long afterId, int limit) {

    public RunFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if ((afterScheduled == null) != (afterId == null)) {
            throw new IllegalArgumentException("afterScheduled and afterId go together");
        }
        teams = teams == null ? null : Set.copyOf(teams);
        states = states == null || states.isEmpty() ? null : Set.copyOf(states);
    }

    public RunFilter withLimit(int limit) {
        return new RunFilter(teams, jobId, jobName, taskType, states, scheduledFrom, scheduledTo, text, afterScheduled,
                afterId, limit);
    }
}
