package dev.rota.model;

/**
 * The RabbitMQ names of one Rota namespace. Masters and workers derive them from the namespace alone,
 * so a worker in another language needs only this table (see the README's wire format section).
 *
 * @param namespace the cluster's namespace, also used in ZooKeeper paths and the database schema
 */
public record Topology(String namespace) {
    public Topology {
        Names.requireValid("namespace", namespace);
    }

    private String prefix() {
        return "rota." + namespace + ".";
    }

    /** Durable direct exchange; the routing key is the task type. */
    public String taskExchange() {
        return prefix() + "tasks";
    }

    /** Durable queue holding the tasks of one type, bound to {@link #taskExchange()} by the type. */
    public String taskQueue(String taskType) {
        return prefix() + "task." + Names.requireValid("task type", taskType);
    }

    /** Durable queue the leader consumes results and heartbeats from. */
    public String resultsQueue() {
        return prefix() + "results";
    }

    /**
     * Durable direct exchange workers publish results to, with routing key {@link #resultsQueue()}; it
     * routes them to the results queue. Publishing through it, rather than the default exchange, lets a
     * broker user write results without being able to put messages into any other queue.
     */
    public String resultsExchange() {
        return prefix() + "results";
    }

    /**
     * Durable queue receiving what the results queue dead-letters: a results message delivered more than
     * {@link #RESULTS_DELIVERY_LIMIT} times (quorum queues) without being acked, e.g. one that crashed
     * leader after leader. Nothing consumes it; operators inspect it. (The leader itself parks messages it
     * cannot use in the database's {@code parked_message} table and acks them.)
     */
    public String resultsDeadLetterQueue() {
        return prefix() + "results.dead";
    }

    /** Deliveries of one results message before the broker dead-letters it (quorum queues only). */
    public static final int RESULTS_DELIVERY_LIMIT = 20;

    /** Fanout exchange carrying control messages (cancel requests) to every worker. */
    public String controlExchange() {
        return prefix() + "control";
    }

    /** Topic exchange carrying one {@link CompletionEvent} per final outcome. */
    public String eventsExchange() {
        return prefix() + "events";
    }

    /** Fanout exchange receiving messages that task queues dead-letter. */
    public String deadLetterExchange() {
        return prefix() + "dlx";
    }

    /**
     * Durable queue receiving what task queues dead-letter (rejected, or over the delivery limit). The
     * leader consumes it: it marks the run DEAD and moves the message to {@link #parkedQueue()}.
     */
    public String deadLetterQueue() {
        return prefix() + "dead-letters";
    }

    /** Durable queue keeping dead-lettered messages for operators to inspect; nothing consumes it. */
    public String parkedQueue() {
        return prefix() + "parked";
    }

    /**
     * Fanout exchange taking {@link SubmissionMessage submissions} from producers in any language; bound to
     * {@link #submissionsQueue()}, which the leader consumes.
     */
    public String submitExchange() {
        return prefix() + "submit";
    }

    /** Durable queue of submissions, consumed by the leader. */
    public String submissionsQueue() {
        return prefix() + "submissions";
    }

    /** Durable queue of {@link WorkerAnnouncement announcements and heartbeats} of broker-only workers. */
    public String workersQueue() {
        return prefix() + "workers";
    }

    /**
     * Durable queue holding at most one message: the latest {@link BrokerSettings} the leader published. A
     * broker-only worker reads it with {@code basic.get} and rejects it with requeue, leaving it for others.
     */
    public String settingsQueue() {
        return prefix() + "settings";
    }

    /** Routing key of a completion event: {@code team.taskType.STATE}. */
    public static String eventRoutingKey(String team, String taskType, RunState state) {
        return team + "." + taskType + "." + state.name();
    }
}
