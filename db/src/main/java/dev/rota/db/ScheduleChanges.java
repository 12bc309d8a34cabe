package dev.rota.db;

/**
 * Changes of this schema's schedule (V16's channel {@code rota_job_changed}): a job inserted, its definition
 * changed, or deleted, through Rota or plain SQL. Lets the leader's planner sleep until its next cursor is due
 * rather than poll for changes; an announcement can be missed while the listener reconnects, so it is told
 * each time listening (re)starts as well.
 */
public interface ScheduleChanges {

    /**
     * Starts listening on a connection of its own, outside the pool; {@code changed} is called on the
     * listener's thread after each announcement and each time listening (re)starts, and must not block.
     * Close the result to stop.
     */
    AutoCloseable listen(Runnable changed);
}
