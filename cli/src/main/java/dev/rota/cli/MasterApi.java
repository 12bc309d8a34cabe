package dev.rota.cli;

import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.http.ApiServer;
import dev.rota.http.ApiServerConfig;
import dev.rota.http.ApiStartException;
import dev.rota.master.Master;
import dev.rota.metrics.MetricsSource;
import java.time.Clock;

/**
 * The HTTP API served beside a started master, over the master's own database pool and ZooKeeper
 * connection: a standby serves it too, reading PostgreSQL and ZooKeeper and writing through the admin layer.
 */
final class MasterApi implements AutoCloseable {
    private final Admin admin;
    private final ApiServer server;

    private MasterApi(Admin admin, ApiServer server) {
        this.admin = admin;
        this.server = server;
    }

    /** The API without metrics or health endpoints (the demo). */
    static MasterApi start(Master master, ApiServerConfig config) {
        return start(master, config, null);
    }

    /**
     * @param metrics served at /metrics and /health/*; null for none
     * @throws CommandFailedException when the API cannot start (no token, port taken)
     */
    static MasterApi start(Master master, ApiServerConfig config, MetricsSource metrics) {
        Admin admin = new AdminBuilder().database(master.database()).registry(master.registry())
                .maxPayloadBytes(master.config().cluster().maxPayloadBytes()).build();
        ApiServer server = new ApiServer(config, admin, master.database(), master.registry(), Clock.systemUTC(),
                metrics);
        try {
            server.start();
        } catch (ApiStartException e) {
            admin.close();
            throw new CommandFailedException(e.getMessage(), e);
        }
        return new MasterApi(admin, server);
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        admin.close();
    }
}
