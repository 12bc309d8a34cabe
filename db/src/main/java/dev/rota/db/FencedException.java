package dev.rota.db;

/**
 * A write was attempted with a leader epoch that is no longer current: another master has taken
 * over since. The transaction was rolled back; the caller must stop acting as leader.
 */
public final class FencedException extends RuntimeException {
    private final long staleEpoch;
    private final long currentEpoch;

    public FencedException(long staleEpoch, long currentEpoch) {
        super("leader epoch " + staleEpoch + " is fenced off: the current epoch is " + currentEpoch);
        this.staleEpoch = staleEpoch;
        this.currentEpoch = currentEpoch;
    }

    public long staleEpoch() {
        return staleEpoch;
    }

    public long currentEpoch() {
        return currentEpoch;
    }
}
