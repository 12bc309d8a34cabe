package dev.rota.admin.internal;

import dev.rota.admin.UnavailableException;
import dev.rota.db.RotaDatabase;
import dev.rota.db.RunView;
import dev.rota.master.Operations;
import dev.rota.model.ClusterSettings;
import dev.rota.registry.Registry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Cancels runs and tells the cluster, through one broker connection opened on first use with the
 * settings the masters publish in ZooKeeper, and kept until {@link #close()}.
 */
final class Canceller implements AutoCloseable {
    private static final Duration SETTINGS_WAIT = Duration.ofSeconds(5);

    private final RotaDatabase db;
    private final Registry registry;
    private Operations operations;

    Canceller(RotaDatabase db, Registry registry) {
        this.db = db;
        this.registry = registry;
    }

    /** @return the run if it was cancelled now; empty when it was not active */
    synchronized Optional<RunView> cancel(long runId) {
        Operations ops = operations();
        try {
            return ops.cancel(runId);
        } catch (IOException e) {
            operations = null;
            closeQuietly(ops);
            throw new UnavailableException("run " + runId + " may be cancelled but its worker could not be told: "
                    + e.getMessage(), e);
        }
    }

    private Operations operations() {
        if (operations != null) {
            return operations;
        }
        if (registry == null) {
            throw new UnavailableException("cancelling a run needs the cluster's ZooKeeper (to reach its workers)", null);
        }
        try {
            ClusterSettings settings = registry.awaitSettings(SETTINGS_WAIT);
            operations = Operations.connect(db, settings);
            return operations;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while reading the cluster settings", e);
        } catch (IOException | RuntimeException e) {
            throw new UnavailableException("cannot reach the cluster's broker to cancel a run: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Operations ops) {
        try {
            ops.close();
        } catch (IOException | RuntimeException e) {
            // the connection is being dropped after a failure already reported
        }
    }

    @Override
    public synchronized void close() {
        if (operations != null) {
            closeQuietly(operations);
            operations = null;
        }
    }
}
