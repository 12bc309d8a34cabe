package dev.rota.http;

/** The API server cannot start: no token and no {@code --insecure-local}, or the port is taken. */
public final class ApiStartException extends RuntimeException {
    public ApiStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
