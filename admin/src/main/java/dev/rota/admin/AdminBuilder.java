package dev.rota.admin;

import dev.rota.admin.internal.DefaultAdmin;
import dev.rota.db.RotaDatabase;
import dev.rota.model.ClusterSettings;
import dev.rota.registry.Registry;
import java.time.Clock;
import java.util.Objects;

/**
 * Builds an {@link Admin} over a database and, optionally, the cluster's registry (without one,
 * cluster status, failover and cancelling a run that a worker holds are unavailable). The database and
 * registry stay the caller's to close.
 */
public final class AdminBuilder {
    private RotaDatabase database;
    private Registry registry;
    private Clock clock = Clock.systemUTC();
    private int maxPayloadBytes = ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES;

    public AdminBuilder database(RotaDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
        return this;
    }

    public AdminBuilder registry(Registry registry) {
        this.registry = registry;
        return this;
    }

    public AdminBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The largest payload accepted, in bytes of UTF-8 JSON (default the cluster default, 256 KiB). */
    public AdminBuilder maxPayloadBytes(int maxPayloadBytes) {
        if (maxPayloadBytes < 2) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 2, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    public Admin build() {
        if (database == null) {
            throw new IllegalStateException("an Admin needs a database");
        }
        return new DefaultAdmin(database, registry, clock, maxPayloadBytes);
    }
}
