package dev.rota.cli;

/**
 * A command could not do its work for a reason outside the command line (a service cannot be reached, a
 * job does not exist). Its message is the one line printed to stderr; the exit code is 1.
 */
public final class CommandFailedException extends RuntimeException {
    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
