package dev.rota.cli;

import picocli.CommandLine.Command;

/** {@code rota cluster}: membership and leadership, as ZooKeeper sees them. */
@Command(name = "cluster",
        header = "Show the masters and workers of a namespace; move leadership to another master.",
        description = "Reads and writes ZooKeeper only (--zk and --namespace, or ROTA_ZK and ROTA_NAMESPACE).",
        subcommands = {ClusterStatusCommand.class, ClusterFailoverCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  rota cluster status --zk zk1:2181 --namespace prod", "  rota cluster failover"})
final class ClusterCommand extends CommandGroup {
}
