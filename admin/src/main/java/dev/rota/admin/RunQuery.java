package dev.rota.admin;

import dev.rota.model.RunState;
import java.time.Instant;
import java.util.Set;

/**
 * Which runs to list, newest scheduled first; every field optional. {@code from} is inclusive and
 * {@code to} exclusive, on the scheduled time. {@code cursor} is a page's {@link Page#next()}.
 *
 * @param job  a job's name (with {@code team} when names repeat across teams)
 * @param text a case-insensitive substring of the job name or the error
 */
public record RunQuery(String team, Long jobId, String job, String taskType, Set<RunState> states, Instant from,
        Instant to, String text, String cursor, Integer limit) {

    public static RunQuery all() {
        return new RunQuery(null, null, null, null, null, null, null, null, null, null);
    }

    public RunQuery withStates(Set<RunState> states) {
        return new RunQuery(team, jobId, job, taskType, states, from, to, text, cursor, limit);
    }

    public RunQuery withTeam(String team) {
        return new RunQuery(team, jobId, job, taskType, states, from, to, text, cursor, limit);
    }
}
