package dev.rota.registry;

import java.time.Instant;

/**
 * What a master publishes about itself in its ephemeral node.
 *
 * @param id        unique master id
 * @param address   host (and port, when it serves one) operators can reach it at
 * @param version   Rota version
 * @param startedAt when the master process started
 * @param beacon    host:port of the master's liveness beacon: a TCP socket that closes when the process
 *                  dies, so that standbys learn of a crash without waiting for the ZooKeeper session to
 *                  expire; null when the master has none
 */
public record MasterInfo(String id, String address, String version, Instant startedAt, String beacon) {

    public MasterInfo(String id, String address, String version, Instant startedAt) {
        this(id, address, version, startedAt, null);
    }
}
