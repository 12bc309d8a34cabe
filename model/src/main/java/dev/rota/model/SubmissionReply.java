package dev.rota.model;

/**
 * The leader's answer to a {@link SubmissionMessage} that carried {@code reply_to} and {@code correlation_id};
 * sent to the default exchange with routing key {@code reply_to} and the same {@code correlation_id}, after
 * the submission is committed (or rejected).
 *
 * @param version        wire format version, 1
 * @param status         ACCEPTED (a new run), DUPLICATE (the idempotency key was used: the first run), or REJECTED
 * @param runId          the run, unless REJECTED
 * @param idempotencyKey echoed from the submission
 * @param reason         for REJECTED: what is wrong, naming the field and the limit
 */
public record SubmissionReply(int version, Status status, Long runId, String idempotencyKey, String reason) {

    public enum Status {
        ACCEPTED,
        DUPLICATE,
        REJECTED
    }

    public static SubmissionReply rejected(String idempotencyKey, String reason) {
        return new SubmissionReply(TaskMessage.CURRENT_VERSION, Status.REJECTED, null, idempotencyKey, reason);
    }

    public static SubmissionReply of(Status status, long runId, String idempotencyKey) {
        return new SubmissionReply(TaskMessage.CURRENT_VERSION, status, runId, idempotencyKey, null);
    }
}
