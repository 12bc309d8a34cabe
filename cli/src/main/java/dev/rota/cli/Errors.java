package dev.rota.cli;

import java.sql.SQLException;

/** Turns an exception into the one line a person needs: no class names, no stack, no SQL text. */
final class Errors {
    private Errors() {
    }

    /**
     * Rota's own exceptions already say what failed, so their message is kept. A library's exception (jOOQ,
     * Flyway, the connection pool) that a database error caused gives way to the innermost
     * {@link SQLException}'s message, which says what PostgreSQL said (connection refused, no such relation).
     */
    static String describe(Throwable t) {
        if (t.getClass().getName().startsWith("dev.rota.") && t.getMessage() != null && !t.getMessage().isBlank()) {
            return firstLine(t.getMessage());
        }
        SQLException sql = innermostSqlException(t);
        if (sql != null && sql.getMessage() != null) {
            return firstLine(sql.getMessage());
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = t.getCause();
            return cause != null && cause != t ? describe(cause) : t.getClass().getSimpleName();
        }
        return firstLine(message);
    }

    private static SQLException innermostSqlException(Throwable t) {
        SQLException found = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                found = s;
            }
        }
        return found;
    }

    private static String firstLine(String message) {
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }
}
