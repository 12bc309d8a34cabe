package dev.rota.cli.demo;

/** The demo cannot use a service it needs; the message names the service and says why. */
public final class DemoException extends RuntimeException {
    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
