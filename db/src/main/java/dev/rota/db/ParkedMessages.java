package dev.rota.db;

import java.time.Instant;
import java.util.List;

/**
 * The {@code parked_message} table: messages a leader consumer set aside so that they could not stall
 * the rest (malformed results, results PostgreSQL refused, dead letters it could not apply). Nothing
 * removes them; operators read them with {@code rota tasks parked} or SQL.
 */
public interface ParkedMessages {

    /**
     * @param source where the message came from, e.g. the queue name
     * @param reason why it was set aside
     * @param body   the message as received
     */
    record Parked(long id, String source, String reason, byte[] body, Instant createdAt) {
    }

    /**
     * Stores one message in its own transaction. Text in {@code source} and {@code reason} that
     * PostgreSQL cannot store (NUL) is replaced; {@code body} is kept byte for byte.
     *
     * @return its id
     */
    long park(String source, String reason, byte[] body);

    /** Most recent first. */
    List<Parked> recent(int limit);
}
