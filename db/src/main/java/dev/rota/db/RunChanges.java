package dev.rota.db;

import java.util.function.Consumer;

/**
 * Run state changes of this schema as they commit (PostgreSQL LISTEN/NOTIFY): for live views on any
 * master, never for correctness; a change made while the listener was reconnecting is not replayed.
 */
public interface RunChanges {

    /**
     * Starts listening on a connection of its own; {@code consumer} is called on the listener's thread,
     * in commit order, and must not block. Close the result to stop.
     */
    AutoCloseable listen(Consumer<RunChange> consumer);
}
