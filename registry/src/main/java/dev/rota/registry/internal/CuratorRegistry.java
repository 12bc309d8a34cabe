package dev.rota.registry.internal;

import dev.rota.model.MessageCodec;
import dev.rota.model.ClusterSettings;
import dev.rota.model.Names;
import dev.rota.registry.ClusterStatus;
import dev.rota.registry.LeadershipListener;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.MasterMembership;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryConfig;
import dev.rota.registry.RegistryException;
import dev.rota.registry.WorkerInfo;
import dev.rota.registry.WorkerListener;
import dev.rota.registry.WorkerMembership;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Registry} on Apache Curator: one {@link CuratorFramework} per registry, namespaced to
 * {@code rota/<namespace>}. Thread-safe. Lifecycle LATENT -> STARTED -> CLOSED: starting twice throws,
 * closing twice does nothing, and every other operation needs a started registry.
 */
public final class CuratorRegistry implements Registry {
    private static final Logger log = LoggerFactory.getLogger(CuratorRegistry.class);

    static final Duration RETRY_BASE_SLEEP = Duration.ofMillis(100);
    static final int RETRY_MAX_ATTEMPTS = 3;

    private enum State { LATENT, STARTED, CLOSED }

    private final RegistryConfig config;
    private final CuratorFramework client;
    private final MessageCodec codec = new MessageCodec();
    private final ClusterReader reader;
    private final SettingsStore settings;
    private final FailoverRequester failover;
    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final Set<LatchMembership> masters = ConcurrentHashMap.newKeySet();
    private final Set<WorkerNode> workers = ConcurrentHashMap.newKeySet();
    private final Set<AutoCloseable> watches = ConcurrentHashMap.newKeySet();
    private final AtomicInteger watchCount = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean zkConnected = new java.util.concurrent.atomic.AtomicBoolean();

    public CuratorRegistry(RegistryConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
        Acls acls = config.auth() == null ? null : new Acls(config.auth(), Layout.namespace(config));
        if (acls != null) {
            builder.aclProvider(acls)
                    .authorization("digest", (config.auth().self().user() + ":" + config.auth().self().password())
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (config.tls() != null) {
            builder.zkClientConfig(TlsClientConfig.of(config.tls()));
        }
        this.client = builder
                .connectString(config.connectString())
                // Curator would otherwise replace the configured servers with the addresses the ensemble
                // advertises, bypassing a proxy or load balancer the operator put in between (the chaos
                // suite saw a master cut off behind its proxy reconnect directly).
                .ensembleTracker(false)
                .namespace(Layout.namespace(config))
                .sessionTimeoutMs(millis(config.sessionTimeout()))
                .connectionTimeoutMs(millis(config.connectionTimeout()))
                .retryPolicy(new ExponentialBackoffRetry(millis(RETRY_BASE_SLEEP), RETRY_MAX_ATTEMPTS))
                .connectionStateErrorPolicy(new StandardConnectionStateErrorPolicy())
                .build();
        this.reader = new ClusterReader(client, codec);
        this.settings = new SettingsStore(client, config, acls);
        this.failover = new FailoverRequester(client, codec, reader, Objects.requireNonNull(clock, "clock"), config);
    }

    /**
     * Connects, waiting up to the connection timeout.
     *
     * @throws IllegalStateException when already started or closed
     * @throws RegistryException     when ZooKeeper cannot be reached in time (the registry is then closed)
     */
    @Override
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("registry for " + where() + " cannot start: it is already " + state.get());
        }
        // Registered before start, so the first CONNECTED is seen; Curator calls it on its event thread.
        client.getConnectionStateListenable().addListener((c, newState) -> zkConnected.set(newState.isConnected()));
        client.start();
        boolean connected;
        try {
            connected = client.blockUntilConnected(millis(config.connectionTimeout()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new RegistryException("interrupted while connecting to ZooKeeper at " + config.connectString(), e);
        }
        if (!connected) {
            close();
            String why = config.tls() == null ? ""
                    : TlsClientConfig.diagnose(config.tls(), config.connectString(), config.connectionTimeout());
            throw new RegistryException("cannot connect to ZooKeeper at " + config.connectString()
                    + (config.tls() == null ? "" : " over TLS") + " within " + config.connectionTimeout() + why);
        }
        log.info("connected to ZooKeeper at {}; negotiated session timeout {} (requested {})",
                where(), negotiatedSessionTimeout(), config.sessionTimeout());
    }

    @Override
    public boolean isConnected() {
        return state.get() == State.STARTED && zkConnected.get();
    }

    @Override
    public Duration negotiatedSessionTimeout() {
        requireStarted();
        return ZkCalls.call("read the session timeout",
                () -> Duration.ofMillis(client.getZookeeperClient().getZooKeeper().getSessionTimeout()));
    }

    @Override
    public MasterMembership joinAsMaster(MasterInfo info, LeadershipListener listener) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(listener, "listener");
        Names.requireValid("master id", info.id());
        requireStarted();
        LatchMembership membership = new LatchMembership(client, codec, info.id(), codec.encode(info), listener,
                masters::remove);
        track(masters, membership);
        try {
            membership.start(config.connectionTimeout());
        } catch (RuntimeException e) {
            membership.close();
            throw e;
        }
        log.info("master {} joined {}", info.id(), where());
        return membership;
    }

    @Override
    public WorkerMembership registerWorker(WorkerInfo info) {
        Objects.requireNonNull(info, "info");
        Names.requireValid("worker id", info.id());
        requireStarted();
        WorkerNode worker = new WorkerNode(new EphemeralNode(client, Layout.worker(info.id()), codec.encode(info)),
                workers::remove);
        track(workers, worker);
        try {
            worker.start(config.connectionTimeout());
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        log.info("worker {} registered in {}", info.id(), where());
        return worker;
    }

    @Override
    public AutoCloseable watchWorkers(WorkerListener listener) {
        Objects.requireNonNull(listener, "listener");
        requireStarted();
        String threadName = "rota-worker-watch-" + config.namespace() + "-" + watchCount.incrementAndGet();
        WorkerWatch watch = new WorkerWatch(client, codec, listener, threadName, watches::remove);
        track(watches, watch);
        watch.start();
        return watch;
    }

    @Override
    public AutoCloseable watchElection(Runnable changed) {
        Objects.requireNonNull(changed, "changed");
        requireStarted();
        ElectionWatch watch = new ElectionWatch(client, changed, watches::remove);
        track(watches, watch);
        watch.start();
        return watch;
    }

    @Override
    public void publishSettings(ClusterSettings clusterSettings) {
        Objects.requireNonNull(clusterSettings, "settings");
        requireStarted();
        ZkCalls.call("publish cluster settings to " + where(), () -> {
            settings.publish(clusterSettings);
            return null;
        });
    }

    @Override
    public Optional<ClusterSettings> readSettings() {
        requireStarted();
        return ZkCalls.call("read cluster settings from " + where(), settings::read);
    }

    @Override
    public ClusterSettings awaitSettings(Duration timeout) throws InterruptedException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        requireStarted();
        return settings.await(timeout);
    }

    @Override
    public ClusterStatus status() {
        requireStarted();
        return ZkCalls.call("read the cluster status from " + where(), reader::status);
    }

    @Override
    public boolean evictLeader(String masterId) {
        requireStarted();
        boolean evicted = ZkCalls.call("evict leader " + masterId + " in " + where(),
                () -> Election.evictLeader(client, masterId));
        if (evicted) {
            log.warn("removed master {} from the head of the election: its liveness beacon closed", masterId);
        }
        return evicted;
    }

    @Override
    public String requestFailover() {
        requireStarted();
        return ZkCalls.call("request a failover in " + where(), failover::request);
    }

    /**
     * Closes memberships (masters give up leadership, their listeners hear {@code notLeader}, nodes are
     * deleted), then watches, then the ZooKeeper connection. When the connection is down, the watches
     * are stopped and the connection closed before the memberships: deleting nodes would wait out the
     * retry policy, and the nodes are ephemeral, so they go with the session anyway. Idempotent.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        if (client.getZookeeperClient().isConnected()) {
            closeAll(masters);
            closeAll(workers);
            closeAll(watches);
            client.close();
        } else {
            masters.forEach(LatchMembership::stopWatching);
            closeAll(watches);
            client.close();
            closeAll(masters);
            closeAll(workers);
        }
        log.info("registry for {} closed", where());
    }

    /** The Curator client, for tests that expire its session; do not use it to change Rota's nodes. */
    public CuratorFramework curator() {
        return client;
    }

    private <T extends AutoCloseable> void track(Set<T> group, T resource) {
        group.add(resource);
        if (state.get() != State.STARTED) {
            closeAll(List.of(resource));
            throw new IllegalStateException("registry for " + where() + " was closed");
        }
    }

    private void requireStarted() {
        State current = state.get();
        if (current != State.STARTED) {
            throw new IllegalStateException("registry for " + where() + " is " + current + ", not STARTED");
        }
    }

    private static void closeAll(Collection<? extends AutoCloseable> resources) {
        for (AutoCloseable resource : List.copyOf(resources)) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("could not close {}", resource, e);
            }
        }
    }

    private String where() {
        return Layout.describe(config, "");
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
