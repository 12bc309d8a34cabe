package dev.rota.cli;

import dev.rota.admin.ClusterView;
import dev.rota.registry.ClusterStatus;
import dev.rota.registry.Registry;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rota cluster status}. */
@Command(name = "status", header = "Show the leader, the masters and the workers.",
        description = "A snapshot of the namespace's registrations in ZooKeeper, and of the workers that joined over"
                + " the broker alone (from PostgreSQL). Times are UTC.",
        footerHeading = "%nExample:%n", footer = "  rota cluster status --zk zk1:2181 --namespace prod")
final class ClusterStatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        ClusterStatus status;
        if (access.remote()) {
            try (AdminAccess.Session s = access.open(false)) {
                ClusterView c = s.admin().cluster(s.who());
                status = new ClusterStatus(java.util.Optional.ofNullable(c.leaderId()), c.masters(), c.workers());
            }
        } else {
            try (Registry registry = access.zk.openRegistry()) {
                status = registry.status();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(access.remote() ? "the cluster behind " + access.api : access.zk.describe());
        out.println("leader: " + status.leaderId().orElse("none"));
        out.println();
        PagedTable.print(out, status.masters(), "no masters", Table.of("MASTER", "ADDRESS", "VERSION", "STARTED", "ROLE"),
                (table, m) -> table.row(m.id(), m.address(), m.version(), seconds(m.startedAt()),
                        status.leaderId().filter(m.id()::equals).isPresent() ? "leader" : "standby"));
        out.println();
        PagedTable.print(out, status.workers(), "no workers",
                Table.of("WORKER", "HOST", "TASK TYPES", "CAPACITY", "VERSION", "STARTED"),
                (table, w) -> table.row(w.id(), w.host(), String.join(",", new TreeSet<>(w.taskTypes())), w.capacity(),
                        w.version(), seconds(w.startedAt())));
        if (!access.remote()) {
            out.println();
            BrokerWorkersTable.print(access.database, out);
        }
        out.flush();
        return 0;
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
