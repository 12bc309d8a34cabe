package dev.rota.master;

import dev.rota.db.DatabaseConfig;
import dev.rota.db.RotaDatabase;
import dev.rota.model.ClusterSettings;
import dev.rota.model.NodeIds;
import dev.rota.registry.RegistryConfig;
import java.time.Clock;
import java.util.Objects;

/** Builds a {@link Master}; every setter rejects a bad value, and {@link #build()} checks the whole. */
public final class MasterBuilder {
    private String masterId = NodeIds.generate("master-");
    private String address = NodeIds.hostName();
    private RegistryConfig registry = new RegistryConfig(RegistryConfig.DEFAULT_CONNECT_STRING,
            RegistryConfig.DEFAULT_NAMESPACE, RegistryConfig.DEFAULT_SESSION_TIMEOUT, RegistryConfig.DEFAULT_CONNECTION_TIMEOUT);
    private DatabaseConfig database = RotaDatabase.builder().config();
    private ClusterSettings cluster;
    private String amqpUri = "amqp://guest:guest@127.0.0.1:5672/%2F";
    private MasterTimings timings = MasterTimings.DEFAULTS;
    private int batchSize = MasterConfig.DEFAULT_BATCH_SIZE;
    private boolean separateBrokerUsers;
    private SchedulingConfig scheduling = SchedulingConfig.DEFAULTS;
    private AlertConfig alerts = AlertConfig.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private MasterListener listener = MasterListener.NONE;

    public MasterBuilder masterId(String masterId) {
        this.masterId = dev.rota.model.Names.requireValid("master id", masterId);
        return this;
    }

    public MasterBuilder address(String address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    public MasterBuilder registry(RegistryConfig registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        return this;
    }

    public MasterBuilder database(DatabaseConfig database) {
        this.database = Objects.requireNonNull(database, "database");
        return this;
    }

    /** The broker address published to workers; ignored when {@link #cluster} is set. */
    public MasterBuilder amqpUri(String amqpUri) {
        this.amqpUri = Objects.requireNonNull(amqpUri, "amqpUri");
        return this;
    }

    /** All settings published to workers; by default derived from the AMQP URI and the registry namespace. */
    public MasterBuilder cluster(ClusterSettings cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        return this;
    }

    /**
     * Whether workers connect to RabbitMQ as their own least-privilege users (default false). When true,
     * the settings published in ZooKeeper carry the broker address without this master's credentials,
     * and each worker brings its own.
     */
    public MasterBuilder separateBrokerUsers(boolean separateBrokerUsers) {
        this.separateBrokerUsers = separateBrokerUsers;
        return this;
    }

    public MasterBuilder timings(MasterTimings timings) {
        this.timings = Objects.requireNonNull(timings, "timings");
        return this;
    }

    public MasterBuilder batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    public MasterBuilder scheduling(SchedulingConfig scheduling) {
        this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
        return this;
    }

    public MasterBuilder alerts(AlertConfig alerts) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
        return this;
    }

    public MasterBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public MasterBuilder listener(MasterListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public MasterConfig config() {
        ClusterSettings settings = cluster != null ? cluster : ClusterSettings.defaults(amqpUri, registry.namespace());
        return new MasterConfig(masterId, address, registry, database, settings, timings, batchSize, scheduling,
                separateBrokerUsers, alerts);
    }

    public Master build() {
        return new Master(config(), listener, clock);
    }
}
