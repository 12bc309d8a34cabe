package dev.rota.model;

import java.util.Objects;

/**
 * A user name and its password, for a broker or ZooKeeper. {@link #toString()} never shows the password.
 *
 * @param user     the user name; not blank
 * @param password the password; may be empty, never null
 */
public record Credentials(String user, String password) {
    public Credentials {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank, was '" + user + "'");
        }
        Objects.requireNonNull(password, "password");
    }

    /**
     * Reads {@code user:password} (the first colon separates them; the password may contain colons).
     *
     * @param what what the text is, for the error message
     * @throws IllegalArgumentException naming {@code what} when there is no colon or no user
     */
    public static Credentials parse(String what, String text) {
        String trimmed = text == null ? "" : text.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException(what + " must be 'user:password', was "
                    + (trimmed.isEmpty() ? "empty" : "a text without a user before a colon"));
        }
        return new Credentials(trimmed.substring(0, colon), trimmed.substring(colon + 1));
    }

    @Override
    public String toString() {
        return user + ":***";
    }
}
