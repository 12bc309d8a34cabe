package dev.rota.db;

import java.util.List;
import java.util.Optional;

/** The {@code api_token} table. Secrets are never stored: only their SHA-256 hash. */
public interface ApiTokens {

    /** A token row with its hash, for verification. */
    record Stored(ApiToken token, byte[] hash) {
    }

    /**
     * @throws IllegalArgumentException when a token of that name exists
     */
    ApiToken create(String name, String team, String role, byte[] hash, AuditEntry audit);

    Optional<Stored> find(long id);

    List<ApiToken> list();

    /** @return the revoked token, or empty when there is no active token of that name */
    Optional<ApiToken> revoke(String name, AuditEntry audit);

    long activeCount();
}
