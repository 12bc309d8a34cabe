package dev.rota.registry;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of the cluster as ZooKeeper sees it.
 *
 * @param leaderId the id of the master holding leadership, if any
 * @param masters  every registered master, leader included
 * @param workers  every registered worker
 */
public record ClusterStatus(Optional<String> leaderId, List<MasterInfo> masters, List<WorkerInfo> workers) {
}
