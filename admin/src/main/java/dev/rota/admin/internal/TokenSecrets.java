package dev.rota.admin.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * API token secrets: {@code rota_<id>_<43 base64url characters of 32 random bytes>}. The id finds the
 * row; only the SHA-256 of the 32 bytes is stored, and it is compared in constant time.
 */
final class TokenSecrets {
    static final int SECRET_BYTES = 32;
    private static final String PREFIX = "rota_";

    private final SecureRandom random = new SecureRandom();

    record Parsed(long id, byte[] secret) {
    }

    byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    static String format(long id, byte[] secret) {
        return PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    static Optional<Parsed> parse(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int sep = token.indexOf('_', PREFIX.length());
        if (sep < 0) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(token.substring(PREFIX.length(), sep));
            byte[] secret = Base64.getUrlDecoder().decode(token.substring(sep + 1).getBytes(StandardCharsets.US_ASCII));
            return secret.length == SECRET_BYTES ? Optional.of(new Parsed(id, secret)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static byte[] hash(byte[] secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Constant time in the content of the hashes. */
    static boolean matches(byte[] secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }
}
