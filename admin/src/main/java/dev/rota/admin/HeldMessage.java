package dev.rota.admin;

import java.time.Instant;

/**
 * A message the leader set aside rather than apply: {@link Kind#PARKED} (a result or dead letter it could
 * not apply, kept whole in {@code parked_message}) or {@link Kind#REJECTED} (a submission, result or worker
 * announcement it refused, kept with the start of its body in {@code rejected_message}).
 *
 * @param source    PARKED: the queue it came from; REJECTED: SUBMISSION, RESULT or WORKER
 * @param body      the body as text, at most {@link Admin#MAX_HELD_BODY_CHARS} characters (invalid UTF-8 replaced)
 * @param bodyBytes the body's full size
 * @param runId     the run the body names (its {@code runId}), when it names one that exists; else null
 * @param runState  that run's state now (a final one may be re-run); null without a run
 */
public record HeldMessage(Kind kind, long id, String source, String reason, String body, int bodyBytes, Long runId,
        String runState, Instant at) {

    public enum Kind {
        PARKED,
        REJECTED
    }
}
