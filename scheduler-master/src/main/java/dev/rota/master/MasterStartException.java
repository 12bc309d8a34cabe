package dev.rota.master;

/** A master could not start: the message names the service that failed and why. */
public final class MasterStartException extends RuntimeException {
    public MasterStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
