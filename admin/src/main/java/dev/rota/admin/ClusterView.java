package dev.rota.admin;

import dev.rota.db.ClusterLoad;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.WorkerInfo;
import java.util.List;

/**
 * The cluster as ZooKeeper, the lease row and the run table see it.
 *
 * @param leaderId    the master leading now, or null
 * @param epoch       the fencing epoch of the latest leadership term
 * @param leaseHolder the master that took that epoch (the leader, unless a handover is under way)
 * @param queues      per task type, runs due, queued and running now (of the principal's teams)
 * @param workerLoads per worker running something, its running runs and their latest heartbeat
 */
public record ClusterView(String leaderId, long epoch, String leaseHolder, List<MasterInfo> masters,
        List<WorkerInfo> workers, List<ClusterLoad.QueueDepth> queues, List<ClusterLoad.WorkerLoad> workerLoads) {

    public ClusterView {
        queues = queues == null ? List.of() : List.copyOf(queues);
        workerLoads = workerLoads == null ? List.of() : List.copyOf(workerLoads);
    }

    /** Membership and leadership only, without the run table's load. */
    public ClusterView(String leaderId, long epoch, String leaseHolder, List<MasterInfo> masters,
            List<WorkerInfo> workers) {
        this(leaderId, epoch, leaseHolder, masters, workers, List.of(), List.of());
    }
}
