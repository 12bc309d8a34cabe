package dev.rota.registry;

/** Told when workers register and deregister. Runs on the registry's watcher thread; must not block. */
public interface WorkerListener {
    void workerJoined(WorkerInfo worker);

    /** The worker's ephemeral node is gone: it stopped, or its ZooKeeper session expired. */
    void workerLeft(WorkerInfo worker);
}
