package dev.rota.worker.internal.builtin;

/** Thrown by the {@code fail} handler: the task's payload asked for it to fail. */
public final class RequestedFailureException extends Exception {
    public RequestedFailureException(String message) {
        super(message);
    }
}
