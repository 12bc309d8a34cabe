package dev.rota.model;

/** The RabbitMQ queue type for task queues. Quorum queues count deliveries and so bound poison messages. */
public enum QueueType {
    QUORUM("quorum"),
    CLASSIC("classic");

    private final String argument;

    QueueType(String argument) {
        this.argument = argument;
    }

    /** The value of the {@code x-queue-type} argument. */
    public String argument() {
        return argument;
    }
}
