package dev.rota.master.internal;

import dev.rota.db.BrokerClients.Submission;
import dev.rota.db.TaskSubmission;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.model.SubmissionMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Turns the body of a message on the submissions queue into a submission, or a reason to reject it.
 * No I/O: the receipt time is given.
 */
final class SubmissionReader {
    /** Prefix of the idempotency key derived from an AMQP {@code message_id} when the body has none. */
    static final String MESSAGE_ID_KEY_PREFIX = "amqp-message-id:";

    private final MessageCodec codec;
    private final int maxPayloadBytes;

    SubmissionReader(MessageCodec codec, int maxPayloadBytes) {
        this.codec = codec;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * @param messageId the AMQP {@code message_id}, or null; used as the idempotency key when the body has
     *                  none, so a redelivered submission is not recorded twice
     * @throws MalformedMessageException naming what is wrong and the limit
     */
    Submission read(byte[] body, String messageId, Instant received) throws MalformedMessageException {
        return read(body, messageId, null, received);
    }

    /**
     * @param traceparent the AMQP header {@code traceparent}, or null; one that is not a well-formed W3C trace
     *                    context is ignored (the run then has no trace), as the W3C recommendation asks
     */
    Submission read(byte[] body, String messageId, String traceparent, Instant received)
            throws MalformedMessageException {
        SubmissionMessage m = codec.decode(body, SubmissionMessage.class);
        boolean payloadGiven = m.payload() != null && !m.payload().isNull();
        String payload = payloadGiven ? codec.encodeToString(m.payload()) : "{}";
        m.validate(payload.getBytes(StandardCharsets.UTF_8).length, maxPayloadBytes);
        String key = m.idempotencyKey();
        if (key == null && messageId != null && !messageId.isBlank()) {
            key = MESSAGE_ID_KEY_PREFIX + messageId;
            if (key.length() > SubmissionMessage.MAX_KEY_LENGTH) {
                throw new MalformedMessageException("message_id is longer than "
                        + (SubmissionMessage.MAX_KEY_LENGTH - MESSAGE_ID_KEY_PREFIX.length()) + " characters");
            }
        }
        try {
            TaskSubmission task = new TaskSubmission(m.teamOrDefault(), m.taskType() != null ? m.taskType() : "job",
                    payload, m.runAt(received), key, m.retryPolicy(), m.timeout(), null,
                    TaskSubmission.isTraceparent(traceparent) ? traceparent : null);
            return new Submission(task, m.job(), payloadGiven);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(e.getMessage());
        }
    }
}
