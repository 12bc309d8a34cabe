package dev.rota.admin;

import dev.rota.db.AttemptView;
import dev.rota.db.RunEventView;
import dev.rota.db.RunView;
import java.time.Instant;
import java.util.List;

/**
 * A run with everything known about it.
 *
 * @param triggeredBy who triggered it by hand, or null for a scheduled fire or a submitted task
 * @param timeline    what happened to it, in time order, built from the run and its attempts
 */
public record RunDetail(RunView run, String triggeredBy, List<AttemptView> attempts, List<RunEventView> events,
        List<Step> timeline) {

    /** One point of a run's timeline, e.g. {@code ("dispatched", t, "attempt 2 (epoch 3)")}. */
    public record Step(Instant at, String what, String detail) {
    }
}
