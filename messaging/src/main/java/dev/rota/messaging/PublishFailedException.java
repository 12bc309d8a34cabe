package dev.rota.messaging;

/** A publish was not confirmed: nacked, returned, or its channel closed before the confirm arrived. */
public class PublishFailedException extends RuntimeException {
    public PublishFailedException(String message) {
        super(message);
    }

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
