package dev.rota.admin;

/** A service the action needs (ZooKeeper, RabbitMQ) is not configured or cannot be reached. */
public final class UnavailableException extends AdminException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
