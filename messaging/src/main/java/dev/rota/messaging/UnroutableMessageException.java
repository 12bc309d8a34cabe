package dev.rota.messaging;

/** The broker returned a mandatory message: no queue is bound for its routing key. */
public final class UnroutableMessageException extends PublishFailedException {
    public UnroutableMessageException(String exchange, String routingKey, String replyText) {
        super("message to exchange '" + exchange + "' with routing key '" + routingKey + "' is unroutable: " + replyText);
    }
}
