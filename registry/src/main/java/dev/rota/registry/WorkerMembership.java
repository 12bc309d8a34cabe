package dev.rota.registry;

/**
 * A worker's ephemeral registration. It comes back by itself after a session loss; closing it
 * removes it.
 */
public interface WorkerMembership extends AutoCloseable {
    @Override
    void close();
}
