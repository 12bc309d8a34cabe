package dev.rota.cli;

import dev.rota.db.RotaDatabase;
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
    private DatabaseOptions database;

    @Override
    public Integer call() {
        boolean deleted;
        try (RotaDatabase db = database.open()) {
            deleted = db.jobs().delete(job.team, job.name);
        }
        if (!deleted) {
            throw job.notFound();
        }
        spec.commandLine().getOut().printf("deleted job '%s' (team %s); its runs are kept%n", job.name, job.team);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
