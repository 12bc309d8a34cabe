package dev.rota.admin;

/** Why an admin action was refused; each subclass maps to one HTTP status and one CLI message. */
public abstract class AdminException extends RuntimeException {
    protected AdminException(String message) {
        super(message);
    }

    protected AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
