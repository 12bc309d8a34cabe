package dev.rota.cli;

import dev.rota.db.RunView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota jobs cancel}: cancels a scheduled, queued or running run. */
@Command(name = "cancel", header = "Cancel a run that is scheduled, queued or running.",
        description = "The run becomes CANCELLED at once. If a worker is running it, the worker interrupts the"
                + " handler; a CANCELLED completion event is published. Needs the cluster's ZooKeeper (for the"
                + " broker address) as well as the database.",
        footerHeading = "%nExample:%n", footer = "  rota jobs cancel 42")
final class JobsCancelCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id.")
    private long runId;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        RunView run;
        try (AdminAccess.Session s = access.open(true)) {
            run = s.admin().cancel(s.who(), runId);
        }
        spec.commandLine().getOut().printf("cancelled run %d%s%n", run.id(),
                run.workerId() != null ? "; worker " + run.workerId() + " was told to stop attempt " + run.attempt() : "");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
