package dev.rota.master.internal;

import dev.rota.db.RunView;
import dev.rota.model.CompletionEvent;
import java.time.Instant;

/** Builds the completion event of a run that reached a final state. */
public final class CompletionEvents {
    private CompletionEvents() {
    }

    /** @param now used as the finish time when the run has none recorded */
    public static CompletionEvent of(RunView run, Instant now) {
        return new CompletionEvent(run.id(), run.attempt(), run.jobId(), run.jobName(), run.team(), run.taskType(),
                run.state(), run.scheduledAt(), run.finishedAt() != null ? run.finishedAt() : now, run.workerId(),
                run.error());
    }
}
