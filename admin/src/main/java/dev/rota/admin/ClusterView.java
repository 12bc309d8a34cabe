package dev.rota.admin;

import dev.rota.registry.MasterInfo;
import dev.rota.registry.WorkerInfo;
import java.util.List;

/**
 * The cluster as ZooKeeper and the lease row see it.
 *
 * @param leaderId  the master leading now, or null
 * @param epoch     the fencing epoch of the latest leadership term
 * @param leaseHolder the master that took that epoch (the leader, unless a handover is under way)
 */
public record ClusterView(String leaderId, long epoch, String leaseHolder, List<MasterInfo> masters,
        List<WorkerInfo> workers) {
}
