package dev.rota.registry;

/**
 * A master's registration and its place in the leader election. Closing it deregisters the master
 * and gives up leadership (the listener is told {@code notLeader}).
 */
public interface MasterMembership extends AutoCloseable {
    boolean isLeader();

    /**
     * Gives up leadership, if held, and rejoins the election behind the other masters, so that another
     * master takes over when one is registered. Returns once leadership is given up.
     */
    void stepDown();

    @Override
    void close();
}
