package dev.rota.registry;

import java.time.Instant;
import java.util.Set;

/**
 * What a worker publishes about itself in its ephemeral node.
 *
 * @param id        unique worker id
 * @param host      host name
 * @param taskTypes the task types it has handlers for
 * @param capacity  how many tasks it runs at once (its prefetch)
 * @param version   Rota version
 * @param startedAt when the worker process started
 */
public record WorkerInfo(String id, String host, Set<String> taskTypes, int capacity, String version,
        Instant startedAt) {
}
