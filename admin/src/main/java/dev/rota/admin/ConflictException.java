package dev.rota.admin;

/**
 * The action does not fit the current state: a job name taken, a run not in a state that allows it, or,
 * with {@link #currentVersion()} set, a job changed since the caller read it.
 */
public final class ConflictException extends AdminException {
    private final Long currentVersion;

    public ConflictException(String message) {
        this(message, null);
    }

    public ConflictException(String message, Long currentVersion) {
        super(message);
        this.currentVersion = currentVersion;
    }

    public Long currentVersion() {
        return currentVersion;
    }
}
