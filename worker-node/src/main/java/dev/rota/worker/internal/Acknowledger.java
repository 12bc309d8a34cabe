package dev.rota.worker.internal;

/** Settles deliveries on the channel they arrived on. Implementations serialise calls from many threads. */
interface Acknowledger {
    /** The delivery is done: its final result was confirmed. */
    void ack(long deliveryTag);

    /** The delivery can never succeed: the broker dead-letters it. */
    void deadLetter(long deliveryTag);

    /** The delivery was not started: the broker gives it to another consumer. */
    void requeue(long deliveryTag);
}
