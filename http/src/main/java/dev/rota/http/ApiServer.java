package dev.rota.http;

import dev.rota.admin.Admin;
import dev.rota.db.RotaDatabase;
import dev.rota.http.internal.JavalinApi;
import dev.rota.metrics.MetricsSource;
import dev.rota.registry.Registry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operators' HTTP API, {@code /api/v1}: an adapter over {@link Admin} that adds bearer tokens,
 * JSON, problem+json errors, ETags, idempotency keys, an OpenAPI document and a live event stream.
 * Any master can serve it: reads come from PostgreSQL and ZooKeeper, writes go through the admin layer.
 * {@link #start()} once, {@link #close()} when done; the admin, database and registry stay the caller's.
 */
public final class ApiServer implements AutoCloseable {
    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final ApiServerConfig config;
    private final Admin admin;
    private final RotaDatabase db;
    private final Registry registry;
    private final Clock clock;
    private final EventHub events = new EventHub();
    private final MetricsSource metrics;
    private JavalinApi api;

    public ApiServer(ApiServerConfig config, Admin admin, RotaDatabase db, Registry registry, Clock clock) {
        this(config, admin, db, registry, clock, null);
    }

    /**
     * @param metrics served at {@code /metrics} (any valid token, or none with insecure-local) and
     *                {@code /health/live}, {@code /health/ready} (no token; 503 when not ready); null for none
     */
    public ApiServer(ApiServerConfig config, Admin admin, RotaDatabase db, Registry registry, Clock clock,
            MetricsSource metrics) {
        this.metrics = metrics;
        this.config = Objects.requireNonNull(config, "config");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.db = Objects.requireNonNull(db, "db");
        this.registry = registry;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws ApiStartException when no active token exists (unless insecure-local) or the port is taken
     * @throws IllegalStateException when started twice
     */
    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the API server was already started");
        }
        if (!config.insecureLocal() && !admin.hasActiveTokens()) {
            state.set(State.CLOSED);
            throw new ApiStartException("no API token exists, so nobody could call the API: create one with"
                    + " 'rota tokens create --name NAME --role admin', or start with --insecure-local"
                    + " (no tokens, loopback only)", null);
        }
        api = new JavalinApi(config, admin, db, registry, events, clock, metrics);
        try {
            api.start();
        } catch (RuntimeException e) {
            close();
            throw new ApiStartException("cannot serve the API on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return api.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        String host = config.host().equals(ApiServerConfig.DEFAULT_HOST) ? "127.0.0.1" : config.host();
        return "http://" + host + ":" + port();
    }

    /** Where to publish events for the live stream (a master's listener adds leadership events here). */
    public EventHub events() {
        return events;
    }

    /** Every route registered, as {@code METHOD path} with OpenAPI path templates. */
    public List<String> routes() {
        return api.routes();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        if (api != null) {
            api.close();
        }
        events.close();
    }
}
