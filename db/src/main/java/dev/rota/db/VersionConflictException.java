package dev.rota.db;

/** A conditional write expected a job version that is no longer current. */
public final class VersionConflictException extends RuntimeException {
    private final long current;

    public VersionConflictException(long id, long expected, long current) {
        super("job " + id + " is at version " + current + ", not " + expected + "; read it again and retry");
        this.current = current;
    }

    public long current() {
        return current;
    }
}
