package dev.rota.master.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.db.RunView;
import dev.rota.model.CompletionEvent;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds the event of a run that reached a final state ({@link CompletionEvent#TYPE_FINISHED}) or whose
 * attempt was lost or failed and is scheduled again ({@link CompletionEvent#TYPE_RESCHEDULED}).
 */
public final class CompletionEvents {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final String DEFAULT_SOURCE = "/rota";

    private CompletionEvents() {
    }

    /** @param now used as the finish time when the run has none recorded */
    public static CompletionEvent of(RunView run, Instant now) {
        return of(run, now, null);
    }

    /**
     * @param now       used as the event time, and the finish time when the run has none recorded
     * @param namespace the cluster's namespace, part of the CloudEvents {@code source}; null for {@code /rota}
     */
    public static CompletionEvent of(RunView run, Instant now, String namespace) {
        boolean finished = run.state().isFinal();
        Instant finishedAt = finished ? (run.finishedAt() != null ? run.finishedAt() : now) : null;
        String resultJson = finished ? run.result() : null;
        JsonNode result = null;
        Boolean truncated = null;
        if (resultJson != null) {
            if (resultJson.getBytes(StandardCharsets.UTF_8).length > CompletionEvent.MAX_RESULT_BYTES) {
                truncated = true;
            } else {
                result = parse(resultJson);
                truncated = false;
            }
        }
        CompletionEvent.Data data = new CompletionEvent.Data(run.id(), run.attempt(), run.jobId(), run.jobName(),
                run.team(), run.taskType(), run.state(), run.scheduledAt(), finishedAt, finished ? null : run.dueAt(),
                run.workerId(), finished ? run.error() : null, finished ? null : run.error(), run.idempotencyKey(), result,
                truncated);
        return new CompletionEvent(run.id(), run.attempt(), run.jobId(), run.jobName(), run.team(), run.taskType(),
                run.state(), run.scheduledAt(), finishedAt != null ? finishedAt : now, run.workerId(), run.error(),
                CompletionEvent.SPEC_VERSION, run.id() + ":" + run.attempt() + ":" + run.state(),
                namespace == null ? DEFAULT_SOURCE : DEFAULT_SOURCE + "/" + namespace,
                finished ? CompletionEvent.TYPE_FINISHED : CompletionEvent.TYPE_RESCHEDULED, "runs/" + run.id(), now,
                "application/json", run.traceparent(), run.idempotencyKey(), data);
    }

    private static JsonNode parse(String json) {
        try {
            return CODEC.readTree(json);
        } catch (MalformedMessageException e) {
            return CODEC.toTree(json);
        }
    }
}
