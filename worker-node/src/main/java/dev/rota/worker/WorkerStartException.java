package dev.rota.worker;

/**
 * A worker could not start: ZooKeeper or RabbitMQ could not be reached, no settings were published in
 * time, or the topology could not be declared. The worker has released what it had opened and is closed.
 */
public final class WorkerStartException extends RuntimeException {
    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
