package dev.rota.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rota cluster failover}: asks the leader to step down and reports who takes over. */
@Command(name = "failover", header = "Move leadership to another master.",
        description = {
            "Asks the current leader to step down; it stops firing at once and stays a candidate, and another"
                + " master takes over. Refused when no master leads or no other master is registered."
                + " Then waits up to --wait for the new leader and prints it."},
        footerHeading = "%nExample:%n", footer = "  rota cluster failover --namespace prod")
final class ClusterFailoverCommand implements Callable<Integer> {
    /** How often the election is read while waiting for the new leader. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for another master to take over (default: ${DEFAULT-VALUE}).")
    private Duration wait;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (AdminAccess.Session s = access.open(true)) {
            String previous = s.admin().failover(s.who());
            out.printf("asked leader %s to step down%n", previous);
            out.flush();
            String next = awaitNewLeader(s, previous);
            out.printf("%s now leads %s%n", next, access.remote() ? "the cluster behind " + access.api
                    : access.zk.describe());
            out.flush();
        }
        return 0;
    }

    private String awaitNewLeader(AdminAccess.Session s, String previous) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        String leader = s.admin().cluster(s.who()).leaderId();
        while (leader == null || leader.equals(previous)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new CommandFailedException("no other master took over within "
                        + DurationConverter.format(wait) + "; the leader is " + (leader == null ? "none" : leader));
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
            leader = s.admin().cluster(s.who()).leaderId();
        }
        return leader;
    }
}
