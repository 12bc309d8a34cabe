package dev.rota.admin;

/** A value is malformed or out of range. The message names the field and the limit. */
public final class InvalidInputException extends AdminException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The input field at fault, e.g. {@code cron} or {@code payload}. */
    public String field() {
        return field;
    }
}
