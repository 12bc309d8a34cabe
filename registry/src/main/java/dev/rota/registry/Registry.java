package dev.rota.registry;

import dev.rota.model.ClusterSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * One ZooKeeper connection for one Rota namespace, and everything Rota keeps there: master and worker
 * membership, the leader election, the cluster settings workers join with, and failover requests.
 * Create with {@link RegistryBuilder}; {@link #start()} once, {@link #close()} when done.
 *
 * <p>ZooKeeper layout under {@code /rota/<namespace>}: {@code masters/<id>} and {@code workers/<id>}
 * (ephemeral JSON), {@code election} (leader latch), {@code settings} (JSON),
 * {@code failover} (a request naming the leader that should step down).
 */
public interface Registry extends AutoCloseable {

    /** Connects; waits up to the connection timeout for the first connection. */
    void start();

    /**
     * True while the ZooKeeper connection is up (CONNECTED or RECONNECTED), false before start, after
     * close and from the moment Curator reports it SUSPENDED or LOST. Cheap: it reads a flag that a
     * connection state listener keeps, so health checks may call it on every request.
     */
    boolean isConnected();

    /** The session timeout ZooKeeper negotiated, once connected. */
    Duration negotiatedSessionTimeout();

    /**
     * Registers a master and enters it into the leader election. Leadership changes go to
     * {@code listener}. A failover request naming this master makes it {@link MasterMembership#stepDown()}.
     */
    MasterMembership joinAsMaster(MasterInfo info, LeadershipListener listener);

    /** Registers a worker with an ephemeral node that is recreated after a session loss. */
    WorkerMembership registerWorker(WorkerInfo info);

    /** Watches worker registrations; the listener is told of the workers already present too. */
    AutoCloseable watchWorkers(WorkerListener listener);

    /**
     * Calls {@code changed} whenever the leader election or the masters' registrations may have changed, and
     * whenever the watch is set again after a reconnection (changes may have been missed meanwhile), so that
     * a master can wait for a change rather than poll {@link #status()}. {@code changed} runs on ZooKeeper's
     * event thread and must not block; calls may be spurious. Close the result to stop.
     */
    AutoCloseable watchElection(Runnable changed);

    /** Stores the settings workers join with (masters call it; the last write wins). */
    void publishSettings(ClusterSettings settings);

    Optional<ClusterSettings> readSettings();

    /**
     * Waits until settings are published.
     *
     * @throws RegistryException when none appear within {@code timeout}
     */
    ClusterSettings awaitSettings(Duration timeout) throws InterruptedException;

    ClusterStatus status();

    /**
     * Asks the current leader to step down so that another master takes over.
     *
     * @return the id of the master asked to step down
     * @throws RegistryException when there is no leader, or no other master to take over
     */
    String requestFailover();

    /**
     * Removes {@code masterId} from the head of the election when another signal has shown that its
     * process is gone (its liveness beacon closed), so that the next master takes over without waiting
     * for the dead process's ZooKeeper session to expire. Does nothing when that master does not lead.
     * Safe even when the signal was wrong: a leader evicted while alive is fenced off by the next
     * leader's epoch at its next write and steps down.
     *
     * @return whether the master was leading and was removed from the election
     */
    boolean evictLeader(String masterId);

    @Override
    void close();
}
