package dev.rota.db;

import java.time.Instant;

/**
 * One row of {@code api_token}, without its hash.
 *
 * @param team the one team it may act on, or null for all teams
 * @param role {@code VIEWER}, {@code OPERATOR} or {@code ADMIN}
 */
public record ApiToken(long id, String name, String team, String role, Instant createdAt, Instant revokedAt) {
    public boolean active() {
        return revokedAt == null;
    }
}
