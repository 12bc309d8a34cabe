package dev.rota.admin;

import dev.rota.db.ApiToken;

/** A new API token; {@code secret} is shown once and never stored (only its hash is). */
public record CreatedToken(ApiToken token, String secret) {
    @Override
    public String toString() {
        return "CreatedToken[" + token + ", secret=(hidden)]";
    }
}
