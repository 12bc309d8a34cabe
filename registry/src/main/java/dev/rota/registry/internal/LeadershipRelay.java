package dev.rota.registry.internal;

import dev.rota.registry.LeadershipListener;
import org.apache.curator.CuratorZookeeperClient;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes one {@code LeaderLatch}'s callbacks to a {@link LeadershipListener} on the master's
 * {@link CallbackThread}. It is registered without an executor, so it runs on the latch's thread while
 * the latch holds its lock: the reason for a loss is taken at that moment, and the callbacks are
 * queued in the order the latch made them.
 */
final class LeadershipRelay implements LeaderLatchListener {
    private static final Logger log = LoggerFactory.getLogger(LeadershipRelay.class);

    private final String masterId;
    private final LeadershipListener listener;
    private final CallbackThread callbacks;
    private final CuratorZookeeperClient connection;
    private volatile String releaseReason;

    LeadershipRelay(String masterId, LeadershipListener listener, CallbackThread callbacks,
            CuratorZookeeperClient connection) {
        this.masterId = masterId;
        this.listener = listener;
        this.callbacks = callbacks;
        this.connection = connection;
    }

    /** Names the reason for the {@code notLeader} that closing the latch is about to cause. */
    void releasing(String reason) {
        releaseReason = reason;
    }

    @Override
    public void isLeader() {
        callbacks.execute(() -> {
            log.info("master {} is now the leader", masterId);
            try {
                listener.isLeader();
            } catch (RuntimeException e) {
                log.error("leadership listener of master {} failed in isLeader", masterId, e);
            }
        });
    }

    @Override
    public void notLeader() {
        String reason = currentReason();
        callbacks.execute(() -> {
            log.info("master {} is no longer the leader: {}", masterId, reason);
            try {
                listener.notLeader(reason);
            } catch (RuntimeException e) {
                log.error("leadership listener of master {} failed in notLeader", masterId, e);
            }
        });
    }

    private String currentReason() {
        String released = releaseReason;
        if (released != null) {
            return released;
        }
        if (!connection.isConnected()) {
            return "ZooKeeper connection suspended or lost";
        }
        return "leadership lost in ZooKeeper (session expired or election node removed)";
    }
}
