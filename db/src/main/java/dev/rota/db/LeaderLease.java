package dev.rota.db;

/** The fencing epoch in the {@code leader_lease} row. */
public interface LeaderLease {
    /**
     * Starts a new leadership term: increments the epoch and records the leader. Waits for dispatch
     * transactions of the previous term that hold the epoch to finish, so none commits after this returns.
     *
     * @return the new epoch
     */
    long acquire(String leaderId);

    /** The current epoch and leader id. */
    Current current();

    record Current(long epoch, String leaderId) {
    }
}
