package dev.rota.db;

import java.time.Instant;

/** One row of {@code audit_event}; {@code before} and {@code after} are JSON text or null. */
public record AuditEvent(long id, String actor, String action, String target, String team, String before,
        String after, Instant at) {
}
