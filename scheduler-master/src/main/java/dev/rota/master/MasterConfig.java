package dev.rota.master;

import dev.rota.db.DatabaseConfig;
import dev.rota.model.ClusterSettings;
import dev.rota.model.Names;
import dev.rota.registry.RegistryConfig;
import java.util.Objects;

/**
 * Everything a master needs; build with {@link MasterBuilder}.
 *
 * @param masterId   unique id of this master
 * @param address    where operators can reach this master (host name), for {@code rota cluster status}
 * @param registry   ZooKeeper connection and namespace
 * @param database   PostgreSQL connection and schema
 * @param cluster    the settings published to workers (broker address, queue type, limits)
 * @param timings    intervals and grace periods
 * @param batchSize  most fires, due tasks or results handled in one transaction
 * @param scheduling how cron fires are planned from the database, and how long history is kept
 * @param separateBrokerUsers whether workers connect to RabbitMQ as their own users: the settings published
 *                   in ZooKeeper then carry the broker address without this master's credentials
 * @param alerts     how the leader sends alert webhooks
 */
public record MasterConfig(String masterId, String address, RegistryConfig registry, DatabaseConfig database,
        ClusterSettings cluster, MasterTimings timings, int batchSize, SchedulingConfig scheduling,
        boolean separateBrokerUsers, AlertConfig alerts) {

    public static final int DEFAULT_BATCH_SIZE = 500;

    public MasterConfig {
        Names.requireValid("master id", masterId);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(scheduling, "scheduling");
        Objects.requireNonNull(alerts, "alerts");
        if (!cluster.namespace().equals(registry.namespace())) {
            throw new IllegalArgumentException("cluster namespace '" + cluster.namespace()
                    + "' differs from registry namespace '" + registry.namespace() + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
    }

    /**
     * The settings as published to workers: {@link #cluster()}, without the broker credentials when
     * workers have their own broker users.
     */
    public ClusterSettings publishedSettings() {
        if (!separateBrokerUsers) {
            return cluster;
        }
        return new ClusterSettings(dev.rota.messaging.AmqpConnections.withoutCredentials(cluster.amqpUri()),
                cluster.namespace(), cluster.queueType(), cluster.deliveryLimit(), cluster.heartbeatInterval(),
                cluster.maxPayloadBytes());
    }
}
