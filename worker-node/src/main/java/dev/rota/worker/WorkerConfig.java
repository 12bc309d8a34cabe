package dev.rota.worker;

import dev.rota.model.Credentials;
import dev.rota.model.Names;
import dev.rota.model.RunLog;
import dev.rota.registry.ZkAuth;
import dev.rota.registry.ZkTls;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Immutable worker settings; build with {@link WorkerBuilder}. Everything else a worker needs (the
 * broker address, heartbeat interval, payload limit) it reads from ZooKeeper when it starts.
 *
 * @param zkConnect        ZooKeeper connect string
 * @param namespace        Rota namespace to join
 * @param workerId         unique id of this worker, a valid name ({@link Names})
 * @param taskTypes        the task types consumed; each has a handler
 * @param capacity         how many tasks run at once
 * @param prefetch         how many deliveries each task queue consumer may hold unacknowledged, at least
 *                         {@code capacity} (the default): a delivery stays unacknowledged while its result
 *                         waits for the broker's confirm, so slots beyond the capacity keep the next tasks at
 *                         hand, but also let a busy worker hold tasks an idle one could run, and hold a dead
 *                         worker's redelivered task past its grace (see {@link #DEFAULT_PREFETCH_PER_SLOT})
 * @param shutdownGrace    how long {@link Worker#close()} waits for running tasks before interrupting them
 * @param settingsTimeout  how long {@link Worker#start()} waits for a master to publish the cluster settings
 * @param zkSessionTimeout requested ZooKeeper session timeout; the worker's registration lasts this long
 *                         after the worker dies
 * @param clock            source of the times reported in results and registrations
 * @param listener         told of everything the worker does
 * @param brokerCredentials the worker's own RabbitMQ user, used instead of any credentials in the
 *                         published broker address; null to use the published address as it is
 * @param zkAuth           the worker's ZooKeeper identity; null for an open ZooKeeper
 * @param zkTls            verified TLS to ZooKeeper; null for plain TCP
 * @param maxLogBytes      the bound of each attempt's {@linkplain TaskContext#log log} in UTF-8 bytes,
 *                         between {@link RunLog#MARKER_BYTES} + 1 and {@link RunLog#MAX_BYTES}
 */
public record WorkerConfig(
        String zkConnect,
        String namespace,
        String workerId,
        Set<String> taskTypes,
        int capacity,
        int prefetch,
        Duration shutdownGrace,
        Duration settingsTimeout,
        Duration zkSessionTimeout,
        Clock clock,
        WorkerListener listener,
        Credentials brokerCredentials,
        ZkAuth zkAuth,
        ZkTls zkTls,
        int maxLogBytes) {

    public static final String DEFAULT_ZK_CONNECT = "127.0.0.1:2181";
    public static final String DEFAULT_NAMESPACE = "default";
    public static final int DEFAULT_CAPACITY = 16;
    /**
     * The default prefetch is this many times the capacity: one, so that a delivery always finds a free task
     * thread. With more, a delivery can wait behind long handlers; a task a dead worker held, redelivered
     * to a busy worker, then waits there past the dead worker's grace, the leader sends its next attempt
     * elsewhere, and both run (seen in the worker-kill chaos scenario with twice the capacity).
     */
    public static final int DEFAULT_PREFETCH_PER_SLOT = 1;
    /** AMQP's bound of a consumer's prefetch. */
    public static final int MAX_PREFETCH = 65_535;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SETTINGS_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_ZK_SESSION_TIMEOUT = Duration.ofSeconds(10);
    /** Upper bound of {@link #capacity()}: more threads than this would rather be more workers. */
    public static final int MAX_CAPACITY = 1024;
    /** 64 KiB of log per attempt, the most the leader stores. */
    public static final int DEFAULT_MAX_LOG_BYTES = RunLog.MAX_BYTES;

    public WorkerConfig {
        requireZkConnect(zkConnect);
        Names.requireValid("namespace", namespace);
        Names.requireValid("workerId", workerId);
        Objects.requireNonNull(taskTypes, "taskTypes");
        if (taskTypes.isEmpty()) {
            throw new IllegalArgumentException("taskTypes must not be empty: a worker without task types does nothing");
        }
        taskTypes.forEach(t -> Names.requireValid("task type", t));
        taskTypes = Set.copyOf(taskTypes);
        requireCapacity(capacity);
        requirePrefetch(prefetch, capacity);
        requireNotNegative("shutdownGrace", shutdownGrace);
        requirePositive("settingsTimeout", settingsTimeout);
        requirePositive("zkSessionTimeout", zkSessionTimeout);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(listener, "listener");
        RunLog.requireBound("maxLogBytes", maxLogBytes);
    }

    static String requireZkConnect(String zkConnect) {
        if (zkConnect == null || zkConnect.isBlank()) {
            throw new IllegalArgumentException("zkConnect must not be blank, was '" + zkConnect + "'");
        }
        return zkConnect;
    }

    static int requireCapacity(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be between 1 and " + MAX_CAPACITY + ", was " + capacity);
        }
        return capacity;
    }

    static int requirePrefetch(int prefetch, int capacity) {
        if (prefetch < capacity || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("prefetch must be between the capacity (" + capacity + ") and "
                    + MAX_PREFETCH + ", was " + prefetch);
        }
        return prefetch;
    }

    /** The prefetch a worker of {@code capacity} gets unless it sets one. */
    public static int defaultPrefetch(int capacity) {
        return Math.min(MAX_PREFETCH, capacity * DEFAULT_PREFETCH_PER_SLOT);
    }

    static Duration requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Duration requireNotNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }
}
