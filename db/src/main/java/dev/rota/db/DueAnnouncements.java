package dev.rota.db;

import java.time.Instant;
import java.util.function.Consumer;

/**
 * Runs made due by commits of this schema (V15's channel {@code rota_run_due}): an insert, a retry, a
 * reschedule or a re-run, through Rota or plain SQL, announces the earliest {@code due_at} it made, by the
 * database clock. Lets the leader sleep until its next due run rather than poll; an announcement can be
 * missed while the listener reconnects, so a poll at a longer interval stays the safety net.
 */
public interface DueAnnouncements {

    /** What {@link #listen} announces when it (re)starts listening: anything may have become due meanwhile. */
    Instant ANY = Instant.EPOCH;

    /**
     * Starts listening on a connection of its own, outside the pool; {@code earliestDue} is called on the
     * listener's thread and must not block. It is called with {@link #ANY} each time listening (re)starts.
     * Close the result to stop.
     */
    AutoCloseable listen(Consumer<Instant> earliestDue);
}
