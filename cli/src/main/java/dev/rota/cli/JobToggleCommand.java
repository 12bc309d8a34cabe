package dev.rota.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rota jobs enable} and {@code rota jobs disable}. */
abstract class JobToggleCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private JobRef job;

    @Mixin
    private AdminAccess access;

    private final boolean enabled;

    JobToggleCommand(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Integer call() {
        try (AdminAccess.Session s = access.open(false)) {
            s.admin().setEnabled(s.who(), s.admin().job(s.who(), job.team, job.name).id(), null, enabled);
        }
        spec.commandLine().getOut().printf("%s job '%s' (team %s)%n", enabled ? "enabled" : "disabled", job.name,
                job.team);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Resumes firing a job; fires missed while it was disabled are not owed. */
    @Command(name = "enable", header = "Enable a job: it fires again.",
            description = "Fire times that passed while the job was disabled are not made up.",
            footerHeading = "%nExample:%n", footer = "  rota jobs enable hello")
    static final class Enable extends JobToggleCommand {
        Enable() {
            super(true);
        }
    }

    /** Stops firing a job; runs in flight continue. */
    @Command(name = "disable", header = "Disable a job: it stops firing.",
            description = "Runs already in flight go on; the job and its history are kept.",
            footerHeading = "%nExample:%n", footer = "  rota jobs disable hello")
    static final class Disable extends JobToggleCommand {
        Disable() {
            super(false);
        }
    }
}
