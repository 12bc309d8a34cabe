package dev.rota.model;

/**
 * A control message the leader broadcasts to every worker.
 *
 * @param type    what to do
 * @param runId   the run concerned
 * @param attempt the attempt concerned; a worker running another attempt ignores it
 */
public record ControlMessage(Type type, long runId, int attempt) {
    public enum Type {
        /** Interrupt the handler of this attempt and report CANCELLED. */
        CANCEL
    }
}
