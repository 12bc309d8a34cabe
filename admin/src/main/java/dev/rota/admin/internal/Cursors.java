package dev.rota.admin.internal;

import dev.rota.admin.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Opaque page cursors: the sort key of a page's last item, base64url-encoded, with a kind prefix so a
 * cursor of one list is refused by another.
 */
final class Cursors {
    private static final char SEP = '\u0000';

    private Cursors() {
    }

    static String job(String team, String name) {
        return encode("job" + SEP + team + SEP + name);
    }

    /** @return {team, name}, or null for no cursor */
    static String[] job(String cursor) {
        return decode(cursor, "job", 2);
    }

    static String run(Instant scheduledAt, long id) {
        return encode("run" + SEP + scheduledAt + SEP + id);
    }

    static String[] run(String cursor) {
        String[] parts = decode(cursor, "run", 2);
        if (parts != null) {
            try {
                Instant.parse(parts[0]);
                Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                throw bad();
            }
        }
        return parts;
    }

    static String audit(long id) {
        return encode("audit" + SEP + id);
    }

    static Long audit(String cursor) {
        String[] parts = decode(cursor, "audit", 1);
        try {
            return parts == null ? null : Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw bad();
        }
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor, String kind, int parts) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String key;
        try {
            key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad();
        }
        String[] split = key.split(String.valueOf(SEP), -1);
        if (split.length != parts + 1 || !split[0].equals(kind)) {
            throw bad();
        }
        return java.util.Arrays.copyOfRange(split, 1, split.length);
    }

    private static InvalidInputException bad() {
        return new InvalidInputException("cursor", "cursor is not one this list handed out; start again without it");
    }
}
