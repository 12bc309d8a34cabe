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
}
