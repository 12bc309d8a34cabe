package dev.rota.registry.internal;

import dev.rota.model.MessageCodec;
import dev.rota.registry.LeadershipListener;
import dev.rota.registry.MasterMembership;
import dev.rota.registry.RegistryException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master's membership: its ephemeral node {@code masters/<id>}, its {@link LeaderLatch} under
 * {@code election}, and its {@link FailoverWatch}.
 *
 * <p>Leadership callbacks and failover requests run on one {@link CallbackThread}, in order. With
 * Curator's default {@code StandardConnectionStateErrorPolicy} the latch gives up leadership on
 * SUSPENDED as well as LOST, so the listener hears {@code notLeader} as soon as the connection drops,
 * and {@link #isLeader()} is false from the moment the client sees the disconnection. The latch rejoins
 * by itself after a reconnection or a new session.
 */
final class LatchMembership implements MasterMembership {
    private static final Logger log = LoggerFactory.getLogger(LatchMembership.class);

    /** How long stepDown and close wait for the listener to hear notLeader. */
    static final Duration LISTENER_WAIT = Duration.ofSeconds(10);

    /** The longest pause while waiting for the latch's node to appear. */
    static final Duration MAX_PAUSE = Duration.ofMillis(50);

    private enum State { LATENT, STARTED, CLOSED }

    private final CuratorFramework client;
    private final String masterId;
    private final LeadershipListener listener;
    private final EphemeralNode node;
    private final FailoverWatch failoverWatch;
    private final CallbackThread callbacks;
    private final Consumer<AutoCloseable> onClose;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final Object latchLock = new Object();
    private volatile LeaderLatch latch;
    private LeadershipRelay relay;

    LatchMembership(CuratorFramework client, MessageCodec codec, String masterId, byte[] info, LeadershipListener listener,
            Consumer<AutoCloseable> onClose) {
        this.client = client;
        this.masterId = masterId;
        this.listener = listener;
        this.onClose = onClose;
        this.node = new EphemeralNode(client, Layout.master(masterId), info);
        this.failoverWatch = new FailoverWatch(client, codec, masterId, this::stepDown);
        this.callbacks = new CallbackThread("rota-leadership-" + masterId);
    }

    /**
     * Registers the master node, enters the election and watches for failover requests. Returns once the
     * master's node and its place in the election both exist, so that a master that joined is one that
     * another master's {@link #stepDown()} can hand over to.
     *
     * @throws RegistryException when either does not exist within {@code timeout}
     */
    void start(Duration timeout) {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("master membership " + masterId + " already started or closed");
        }
        node.start(timeout);
        LeaderLatch entered;
        synchronized (latchLock) {
            entered = enterElection();
            latch = entered;
        }
        awaitPlaceInElection(entered, timeout);
        failoverWatch.start(callbacks);
    }

    @Override
    public boolean isLeader() {
        LeaderLatch current = latch;
        return state.get() == State.STARTED && current != null && current.hasLeadership()
                && client.getZookeeperClient().isConnected();
    }

    /**
     * Leaves the election, telling the listener {@code notLeader} if it led, and rejoins at the back.
     * Waits (up to {@link #LISTENER_WAIT}) until the listener has heard it, unless called on the
     * leadership thread itself. Does nothing once closed.
     */
    @Override
    public void stepDown() {
        synchronized (latchLock) {
            if (state.get() != State.STARTED) {
                log.debug("master {}: not stepping down, membership is {}", masterId, state.get());
                return;
            }
            log.info("master {} steps down and rejoins the election", masterId);
            leaveElection("stepped down");
            latch = enterElection();
            // Back in line before returning: otherwise a master that steps down right after another one did
            // could find the other's new node not yet written, come first again and lead again (seen in
            // LeaderElectionTest: m2 stepped down, m1 stepped down 3 ms later, and m1 led again).
            awaitPlaceInElection(latch, LISTENER_WAIT);
        }
        callbacks.drain(LISTENER_WAIT);
    }

    /** Stops watching for failover requests; {@link #close()} does it too. Idempotent. */
    void stopWatching() {
        failoverWatch.close();
    }

    /** Stops watching, gives up leadership (the listener hears notLeader), deregisters. Idempotent. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        failoverWatch.close();
        synchronized (latchLock) {
            if (latch != null) {
                leaveElection("master is closing");
                latch = null;
            }
        }
        node.close();
        callbacks.shutdown(LISTENER_WAIT);
        onClose.accept(this);
        log.info("master {} left the cluster", masterId);
    }

    private LeaderLatch enterElection() {
        LeaderLatch fresh = new LeaderLatch(client, Layout.ELECTION, masterId, LeaderLatch.CloseMode.NOTIFY_LEADER);
        relay = new LeadershipRelay(masterId, listener, callbacks, client.getZookeeperClient());
        fresh.addListener(relay);
        try {
            fresh.start();
        } catch (Exception e) {
            throw new RegistryException("master " + masterId + " cannot enter the leader election", e);
        }
        return fresh;
    }

    /**
     * LeaderLatch creates its node in the background and signals nothing when it exists, so this polls
     * the latch's own (local) record of the node, backing off from 1 ms to {@link #MAX_PAUSE}.
     */
    private void awaitPlaceInElection(LeaderLatch entered, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        while (entered.getOurPath() == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new RegistryException("master " + masterId + " did not enter the leader election within " + timeout);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while master " + masterId + " entered the leader election", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE.toMillis());
        }
    }

    private void leaveElection(String reason) {
        relay.releasing(reason);
        try {
            latch.close();
        } catch (IOException e) {
            if (client.getState() == CuratorFrameworkState.STOPPED) {
                log.debug("master {}: its election node goes with the closed ZooKeeper session", masterId);
            } else {
                log.warn("master {}: could not delete its election node now ({}); Curator keeps trying in the"
                        + " background", masterId, e.getMessage());
            }
        }
    }
}
