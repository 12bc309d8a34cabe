package dev.rota.registry;

import java.time.Instant;

/**
 * What a master publishes about itself in its ephemeral node.
 *
 * @param id        unique master id
 * @param address   host (and port, when it serves one) operators can reach it at
 * @param version   Rota version
 * @param startedAt when the master process started
 */
public record MasterInfo(String id, String address, String version, Instant startedAt) {
}
