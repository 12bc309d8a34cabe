package dev.rota.registry;

/**
 * Told when this master gains or loses leadership. Both methods run on the registry's single
 * leadership thread, in order, so they never overlap; {@link #notLeader} must return promptly
 * (stop dispatching, do not wait for long work), because the next {@link #isLeader} waits for it.
 */
public interface LeadershipListener {
    /** This master now leads. Runs after ZooKeeper granted leadership; the connection is up. */
    void isLeader();

    /**
     * This master no longer leads: it stepped down, its connection is SUSPENDED or LOST, or it is
     * closing. Dispatching must stop at once.
     *
     * @param reason a short human-readable reason, for logs
     */
    void notLeader(String reason);
}
