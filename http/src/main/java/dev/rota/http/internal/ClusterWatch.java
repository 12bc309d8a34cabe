package dev.rota.http.internal;

import dev.rota.db.LeaderLease;
import dev.rota.http.ApiEvent;
import dev.rota.http.EventHub;
import dev.rota.registry.ClusterStatus;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.Registry;
import dev.rota.registry.WorkerInfo;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares the cluster with its last snapshot and publishes what changed: the leader (with the lease's
 * epoch), workers and masters joining or leaving. Run by the server every {@code interval} on its own
 * thread; a failed look is skipped and retried on the next tick.
 */
final class ClusterWatch implements Runnable {
    private final Registry registry;
    private final LeaderLease lease;
    private final EventHub hub;
    private final Clock clock;
    private String leader;
    private long epoch = -1;
    private Set<String> workers;
    private Set<String> masters;

    ClusterWatch(Registry registry, LeaderLease lease, EventHub hub, Clock clock) {
        this.registry = registry;
        this.lease = lease;
        this.hub = hub;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            look();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ClusterWatch.class).debug("cluster look failed: {}", e.toString());
        }
    }

    private void look() {
        ClusterStatus status = registry.status();
        String nowLeader = status.leaderId().orElse(null);
        long nowEpoch = nowLeader == null ? epoch : lease.current().epoch();
        if (!Objects.equals(nowLeader, leader) || nowEpoch != epoch) {
            Map<String, Object> data = new HashMap<>();
            data.put("leaderId", nowLeader);
            data.put("previousLeaderId", leader);
            data.put("epoch", nowEpoch);
            publish("leadership", data);
            leader = nowLeader;
            epoch = nowEpoch;
        }
        workers = diff("worker", workers, status.workers().stream().collect(Collectors.toMap(WorkerInfo::id, w -> w)));
        masters = diff("master", masters, status.masters().stream().collect(Collectors.toMap(MasterInfo::id, m -> m)));
    }

    private Set<String> diff(String type, Set<String> before, Map<String, ?> now) {
        if (before != null) {
            for (String id : now.keySet()) {
                if (!before.contains(id)) {
                    publish(type, Map.of("id", id, "change", "joined"));
                }
            }
            for (String id : before) {
                if (!now.containsKey(id)) {
                    publish(type, Map.of("id", id, "change", "left"));
                }
            }
        }
        return Set.copyOf(now.keySet());
    }

    private void publish(String type, Map<String, Object> data) {
        Map<String, Object> copy = new HashMap<>();
        data.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        hub.publish(new ApiEvent(type, clock.instant(), null, copy));
    }
}
