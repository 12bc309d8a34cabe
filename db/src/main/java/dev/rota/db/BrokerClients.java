package dev.rota.db;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the leader records about clients that speak only AMQP: submissions (fenced, idempotent), workers
 * that announced themselves over the broker, and messages it rejected, with their reason.
 */
public interface BrokerClients {

    /**
     * One submission: a one-off {@code task}, or, when {@code jobName} is set, a fire of that job of
     * {@code task.team()} at {@code task.runAt()} (the job's task type, retry and timeout apply; the task's
     * payload replaces the job's unless {@code payloadGiven} is false).
     */
    record Submission(TaskSubmission task, String jobName, boolean payloadGiven) {
    }

    enum SubmitStatus {
        /** A new run. */
        ACCEPTED,
        /** The idempotency key (or the job and time) was used before: the first run. */
        DUPLICATE,
        /** Nothing recorded; see the reason. */
        REJECTED
    }

    /** @param run null when REJECTED */
    record SubmitResult(SubmitStatus status, RunView run, String reason) {
    }

    /**
     * Records submissions in one transaction that first checks the epoch. A submission naming an unknown
     * job is REJECTED without affecting the others.
     *
     * @throws FencedException when another leader took over (nothing recorded)
     */
    List<SubmitResult> submit(long epoch, List<Submission> submissions);

    /**
     * Records what workers without ZooKeeper need to know (the JSON of {@code BrokerSettings}, no credentials),
     * for every master to serve over HTTP. Checks the epoch first.
     *
     * @throws FencedException when another leader took over (nothing recorded)
     */
    void saveWorkerSettings(long epoch, String settingsJson);

    enum Source {
        SUBMISSION,
        RESULT,
        WORKER
    }

    /** Keeps a message the leader could not use, with its reason (first 4 KiB of the body). */
    void recordRejected(Source source, String reason, byte[] body, String correlationId, String replyTo);

    /** A rejected message, as recorded. */
    record Rejected(long id, Source source, String reason, String body, int bodyBytes, String correlationId,
            Instant createdAt) {
    }

    /** Most recent first. */
    List<Rejected> rejected(int limit);

    enum WorkerState {
        ALIVE,
        /** Silent, but it declared it cannot heartbeat while running: its tasks are left to redelivery and timeout. */
        SILENT,
        /** Silent for longer than the silence limit: its running tasks are dispatched again. */
        LOST,
        /** It said LEAVE. */
        LEFT
    }

    record BrokerWorker(String id, Set<String> taskTypes, int capacity, String workerVersion, String language,
            boolean heartbeatsWhileRunning, WorkerState state, Instant announcedAt, Instant lastSeenAt) {
    }

    /**
     * Records that a worker spoke (announced or heartbeat): it becomes ALIVE, last seen now.
     *
     * @return its state before, or null when it is new
     */
    WorkerState heard(BrokerWorker worker);

    /** Sets a worker's state if it is still {@code from}; @return whether it changed. */
    boolean transition(String id, WorkerState from, WorkerState to);

    List<BrokerWorker> workers();
}
