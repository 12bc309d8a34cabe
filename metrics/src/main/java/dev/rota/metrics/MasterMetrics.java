package dev.rota.metrics;

import dev.rota.master.EventFacts;
import dev.rota.master.Master;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterListener;
import dev.rota.metrics.internal.MasterMeters;
import dev.rota.metrics.internal.MasterProbes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A master's Prometheus metrics and health. It is the master's {@link MasterListener} (give it to
 * {@code MasterBuilder.listener}; it forwards every event to {@code next}), and after the master started,
 * {@link #start(Master)} binds the gauges and starts the background checks. Serve it with the HTTP API
 * ({@code /metrics}, {@code /health/*}). Closing stops the background threads, never the master.
 */
public final class MasterMetrics implements MasterListener, MetricsSource, AutoCloseable {
    private enum State { LATENT, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final MetricsConfig config;
    private final MasterListener next;
    private final MasterMeters meters;
    private volatile MasterProbes probes;

    public MasterMetrics(MetricsConfig config, MasterListener next) {
        this.config = Objects.requireNonNull(config, "config");
        this.next = Objects.requireNonNull(next, "next");
        this.meters = new MasterMeters(config);
    }

    /**
     * Binds the gauges that read the master and starts the PostgreSQL check and the gauge refresh.
     *
     * @throws IllegalStateException when started twice, or the master is not started
     */
    public void start(Master master) {
        Objects.requireNonNull(master, "master");
        if (master.database() == null || master.registry() == null) {
            throw new IllegalStateException("start the master " + master.id() + " before its metrics");
        }
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the metrics of master " + master.id() + " are already " + state.get());
        }
        meters.bind(master);
        probes = new MasterProbes(master, meters, config);
    }

    @Override
    public void on(MasterEvent event, String detail) {
        on(event, detail, EventFacts.NONE);
    }

    @Override
    public void on(MasterEvent event, String detail, EventFacts facts) {
        try {
            meters.on(event, facts);
        } finally {
            next.on(event, detail, facts);
        }
    }

    @Override
    public String scrape() {
        return meters.scrape();
    }

    /** Not ready before {@link #start(Master)} and after close. */
    @Override
    public Health health() {
        MasterProbes p = probes;
        if (p == null || state.get() != State.STARTED) {
            return new Health(java.util.Map.of("started", false));
        }
        return p.health();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        MasterProbes p = probes;
        if (p != null) {
            p.close();
        }
        meters.close();
    }
}
