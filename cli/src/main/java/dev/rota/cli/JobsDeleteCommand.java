package dev.rota.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rota jobs delete}. */
@Command(name = "delete", header = "Delete a job.",
        description = "The job stops firing; its past runs are kept and still shown by 'rota jobs runs'.",
        footerHeading = "%nExample:%n", footer = "  rota jobs delete hello --team default")
final class JobsDeleteCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private JobRef job;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        try (AdminAccess.Session s = access.open(false)) {
            s.admin().deleteJob(s.who(), s.admin().job(s.who(), job.team, job.name).id(), null);
        }
        spec.commandLine().getOut().printf("deleted job '%s' (team %s); its runs are kept%n", job.name, job.team);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
