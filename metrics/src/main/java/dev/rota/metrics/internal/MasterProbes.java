package dev.rota.metrics.internal;

import dev.rota.master.Master;
import dev.rota.metrics.Health;
import dev.rota.metrics.MetricsConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The background work behind a master's gauges and health: a PostgreSQL check every
 * {@link MetricsConfig#databaseCheckInterval()}, and a refresh of the database and ZooKeeper figures every
 * {@link MetricsConfig#gaugeRefreshInterval()}, each on its own thread so a slow refresh never delays the check.
 */
public final class MasterProbes implements AutoCloseable {
    private final Master master;
    private final FreshnessCheck database;
    private final Ticker checks;
    private final Ticker refreshes;

    public MasterProbes(Master master, MasterMeters meters, MetricsConfig config) {
        this.master = master;
        this.database = new FreshnessCheck(() -> master.database().runs().now() != null, config.databaseStaleAfter());
        this.checks = new Ticker("rota-health-" + master.id());
        this.refreshes = new Ticker("rota-metrics-" + master.id());
        checks.every(config.databaseCheckInterval(), "PostgreSQL check", database::run);
        refreshes.every(config.gaugeRefreshInterval(), "gauge refresh", () -> meters.refresh(
                master.database().runs().activeCounts(), master.registry().status().workers(),
                master.backlog().loads()));
    }

    public Health health() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("zookeeper", master.registry() != null && master.registry().isConnected());
        checks.put("postgresql", database.up());
        checks.put("rabbitmq", master.brokerConnected());
        return new Health(checks);
    }

    @Override
    public void close() {
        checks.close();
        refreshes.close();
    }
}
