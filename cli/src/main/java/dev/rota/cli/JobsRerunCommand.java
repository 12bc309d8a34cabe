package dev.rota.cli;

import dev.rota.db.RunView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota jobs rerun}: sends a failed, timed-out, cancelled or dead run back to the queue. */
@Command(name = "rerun", header = "Run a finished run again.",
        description = "A run that FAILED, TIMED_OUT, was CANCELLED or is DEAD becomes SCHEDULED, due now, with a"
                + " fresh retry budget; the leading master dispatches it within a second. Run ids are shown by"
                + " 'rota jobs runs'.",
        footerHeading = "%nExample:%n", footer = "  rota jobs rerun 42")
final class JobsRerunCommand implements Callable<Integer> {
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
        RunView before;
        RunView after;
        try (AdminAccess.Session s = access.open(false)) {
            before = s.admin().run(s.who(), runId).run();
            after = s.admin().rerun(s.who(), runId);
        }
        spec.commandLine().getOut().printf("run %d is %s again, due now (was %s)%n", after.id(), after.state(),
                before.state());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
