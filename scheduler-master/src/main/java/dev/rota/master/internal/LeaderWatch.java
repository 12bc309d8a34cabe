package dev.rota.master.internal;

import dev.rota.registry.ClusterStatus;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.Registry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standby's watch on the leader's {@link LivenessBeacon}. While another master leads, it holds a
 * connection to that master's beacon; when the connection ends (the process died) or is refused (no
 * process listens any more), and the same master still heads the election, it evicts that master from
 * the election so that the next in line takes over within moments instead of after the ZooKeeper
 * session timeout. A connection that cannot be made in time proves nothing (a partition, a pause) and
 * evicts nobody. Safety does not rest on this: a wrongly evicted leader is fenced off by its
 * successor's epoch.
 *
 * <p>Runs on its own thread ({@code rota-leader-watch-<id>}); {@link #runOnce} is one step, for tests.
 */
public final class LeaderWatch implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaderWatch.class);

    /** How long to wait to connect, and how often to check that the watched master still leads. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(500);
    /**
     * With no other leader to watch (this master leads, or none does), how long to wait for a change of the
     * election before looking anyway: the election watch wakes it at once, this only covers a lost watch.
     */
    public static final Duration DEFAULT_IDLE_RECHECK = Duration.ofSeconds(5);

    /** What one {@link #runOnce} found. */
    public enum Step { WATCHED, NO_LEADER, UNREACHABLE }

    private final Registry registry;
    private final String selfId;
    private final Duration checkInterval;
    private final Duration idleRecheck;
    private final Semaphore electionChanged = new Semaphore(0);
    private volatile boolean electionWatched;
    private volatile Socket current;
    private volatile boolean closed;

    public LeaderWatch(Registry registry, String selfId, Duration checkInterval) {
        this(registry, selfId, checkInterval, DEFAULT_IDLE_RECHECK);
    }

    /**
     * @param idleRecheck how long to wait, with no leader to watch, for the election to change before looking
     *                    again anyway
     */
    public LeaderWatch(Registry registry, String selfId, Duration checkInterval, Duration idleRecheck) {
        this.registry = registry;
        this.selfId = selfId;
        this.checkInterval = checkInterval;
        this.idleRecheck = idleRecheck;
    }

    @Override
    public void run() {
        AutoCloseable watch = watchElection();
        electionWatched = watch != null;
        try {
            watchUntilClosed();
        } finally {
            LeaderTerm.closeQuietly(watch);
        }
    }

    /** The election watch that wakes {@link #awaitElectionChange}, or null (then it looks every recheck). */
    private AutoCloseable watchElection() {
        try {
            return registry.watchElection(electionChanged::release);
        } catch (RuntimeException e) {
            log.warn("cannot watch the election ({}); looking for a leader to watch every {} ms instead", e.toString(),
                    checkInterval.toMillis());
            return null;
        }
    }

    private void watchUntilClosed() {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            try {
                switch (runOnce()) {
                    case WATCHED -> { }
                    case NO_LEADER -> awaitElectionChange();
                    case UNREACHABLE -> Thread.sleep(checkInterval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.debug("leader watch: {}", e.toString());
                try {
                    Thread.sleep(checkInterval.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Waits, with no other leader to watch, until the election changes (at most the idle recheck): a leader
     * that watches nobody then makes no ZooKeeper reads at all while it leads.
     */
    private void awaitElectionChange() throws InterruptedException {
        Duration wait = electionWatched ? idleRecheck : checkInterval;
        if (electionChanged.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            electionChanged.drainPermits();
        }
    }

    /**
     * Watches the current leader's beacon until it goes away or that master stops leading.
     *
     * @return what it found: a leader it watched (look again at once), none to watch (wait for the election to
     *         change), or a beacon it could not reach in time (look again after the check interval)
     */
    public Step runOnce() {
        Optional<MasterInfo> leader = leader(registry.status());
        if (leader.isEmpty()) {
            return Step.NO_LEADER;
        }
        MasterInfo watched = leader.get();
        InetSocketAddress address = parse(watched.beacon());
        try (Socket socket = new Socket()) {
            current = socket;
            if (closed) {
                return Step.NO_LEADER;
            }
            socket.connect(address, (int) checkInterval.toMillis());
            socket.setSoTimeout((int) checkInterval.toMillis());
            InputStream in = socket.getInputStream();
            while (!closed) {
                try {
                    if (in.read() < 0) {
                        break;
                    }
                } catch (SocketTimeoutException stillThere) {
                    if (!stillLeads(watched)) {
                        return Step.WATCHED;
                    }
                }
            }
        } catch (ConnectException refused) {
            // Nothing listens where the leader's beacon was: its process is gone.
        } catch (SocketTimeoutException | java.net.NoRouteToHostException | java.net.UnknownHostException e) {
            log.debug("cannot reach the beacon of leader {} at {}: {}", watched.id(), watched.beacon(), e.toString());
            return Step.UNREACHABLE;
        } catch (IOException reset) {
            // The connection was reset: the process is gone.
        } finally {
            current = null;
        }
        if (closed) {
            return Step.NO_LEADER;
        }
        if (stillLeads(watched) && registry.evictLeader(watched.id())) {
            log.warn("leader {} is gone (its liveness beacon at {} closed); the next master takes over",
                    watched.id(), watched.beacon());
        }
        return Step.WATCHED;
    }

    private Optional<MasterInfo> leader(ClusterStatus status) {
        return status.leaderId().filter(id -> !id.equals(selfId))
                .flatMap(id -> status.masters().stream().filter(m -> m.id().equals(id)).findFirst())
                .filter(m -> m.beacon() != null);
    }

    /** The same master, with the same beacon (not a restarted process of the same id), heads the election. */
    private boolean stillLeads(MasterInfo watched) {
        return leader(registry.status()).filter(m -> watched.beacon().equals(m.beacon())).isPresent();
    }

    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Stops watching; the thread running {@link #run} returns promptly. Idempotent. */
    public void close() {
        closed = true;
        electionChanged.release();
        Socket s = current;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                log.debug("closing leader watch: {}", e.toString());
            }
        }
    }
}
