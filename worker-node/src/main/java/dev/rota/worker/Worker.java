package dev.rota.worker;

/**
 * A worker node: joins a Rota cluster through ZooKeeper, consumes task messages from RabbitMQ, runs
 * their {@link TaskHandler}s and reports results. Build with {@link WorkerBuilder}, {@link #start()}
 * once, {@link #close()} when done (a shutdown hook may call it).
 *
 * <p>Guarantees: a delivery is acknowledged only after its final result (SUCCEEDED, FAILED, TIMED_OUT,
 * CANCELLED) has been confirmed by the broker; a delivery that was not acknowledged is redelivered by
 * RabbitMQ, to this or another worker. A result can therefore be reported more than once for one
 * attempt, never zero times.
 */
public interface Worker extends AutoCloseable {

    /** The lifecycle: LATENT until started, STARTED while consuming, CLOSED for good. */
    enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    /**
     * Connects to ZooKeeper, waits up to {@link WorkerConfig#settingsTimeout()} for the cluster settings,
     * connects to RabbitMQ, declares the task queues of {@link WorkerConfig#taskTypes()}, starts
     * consuming, and registers the worker. Blocks until all that is done.
     *
     * @throws IllegalStateException when the worker was already started or closed
     * @throws WorkerStartException  when a step failed; the worker is then closed
     * @throws InterruptedException  when interrupted while waiting; the worker is then closed
     */
    void start() throws InterruptedException;

    /**
     * Stops taking tasks, waits up to {@link WorkerConfig#shutdownGrace()} for running tasks to finish
     * and their results to be confirmed, interrupts the rest (their deliveries are not acknowledged, so
     * RabbitMQ redelivers them), then disconnects from RabbitMQ and deregisters from ZooKeeper.
     * Blocks for at most the grace plus a few seconds. Idempotent; safe from any thread but a task
     * thread. If the calling thread is interrupted, close still completes, faster, and the interrupt
     * flag is kept.
     */
    @Override
    void close();

    State state();

    /** How many task handlers run now (at most the capacity). Cheap, for gauges. */
    int inFlight();

    /**
     * True while the ZooKeeper connection is up; false before start, after close and from the moment
     * Curator reports it SUSPENDED or LOST. Cheap, for health checks.
     */
    boolean zooKeeperConnected();

    /** True while the RabbitMQ connection is open; false before start, after close, and while it recovers. Cheap. */
    boolean brokerConnected();

    WorkerConfig config();

    /** Shortcut for {@code config().workerId()}. */
    default String id() {
        return config().workerId();
    }
}
