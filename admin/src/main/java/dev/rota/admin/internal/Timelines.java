package dev.rota.admin.internal;

import dev.rota.admin.RunDetail.Step;
import dev.rota.db.AttemptView;
import dev.rota.db.RunEventView;
import dev.rota.db.RunView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A run's timeline from what the run and its attempts record (the run row keeps no history of its own). */
final class Timelines {
    private Timelines() {
    }

    static List<Step> of(RunView run, String triggeredBy, List<AttemptView> attempts, List<RunEventView> events) {
        List<Step> steps = new ArrayList<>();
        add(steps, run.scheduledAt(), triggeredBy != null ? "triggered" : "scheduled",
                triggeredBy != null ? "by " + triggeredBy : run.jobName() != null ? "fire of " + run.jobName() : "task");
        for (AttemptView a : attempts) {
            add(steps, a.dispatchedAt(), "dispatched", "attempt " + a.attempt() + " (epoch " + a.epoch() + ")");
            add(steps, a.startedAt(), "started", "attempt " + a.attempt() + " on " + a.workerId());
            add(steps, a.finishedAt(), a.outcome() == null ? "ended" : a.outcome().toLowerCase(),
                    "attempt " + a.attempt() + (a.error() == null ? "" : ": " + a.error()));
        }
        for (RunEventView e : events) {
            add(steps, e.createdAt(), e.kind().toLowerCase(), "attempt " + e.attempt()
                    + (e.workerId() == null ? "" : " from " + e.workerId()) + (e.detail() == null ? "" : ": " + e.detail()));
        }
        if (run.state().isFinal() && run.finishedAt() != null) {
            add(steps, run.finishedAt(), run.state().name().toLowerCase(), run.error());
        }
        steps.sort(Comparator.comparing(Step::at));
        return steps;
    }

    private static void add(List<Step> steps, Instant at, String what, String detail) {
        if (at != null) {
            steps.add(new Step(at, what, detail));
        }
    }
}
