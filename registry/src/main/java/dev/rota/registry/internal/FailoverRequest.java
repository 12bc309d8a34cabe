package dev.rota.registry.internal;

import java.time.Instant;

/**
 * The content of the {@code failover} node: which leader should step down, and when it was asked.
 *
 * @param leaderId    the master that led when the request was made
 * @param requestedAt when the request was written
 */
record FailoverRequest(String leaderId, Instant requestedAt) {
}
