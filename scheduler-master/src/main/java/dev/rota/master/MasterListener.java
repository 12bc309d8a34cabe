package dev.rota.master;

/**
 * Observes a master: tests and metrics both use it. Called on the master's internal threads (the
 * dispatch, results and leadership threads); implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface MasterListener {
    MasterListener NONE = (event, detail) -> {
    };

    void on(MasterEvent event, String detail);

    /**
     * The event with its typed facts ({@link EventFacts#NONE} when it has none). The master calls this one;
     * by default it forwards to {@link #on(MasterEvent, String)}, so a listener that needs no facts
     * implements only that. Same threads and obligations.
     */
    default void on(MasterEvent event, String detail, EventFacts facts) {
        on(event, detail);
    }
}
