package dev.rota.cli;

import dev.rota.db.JobSpec;
import dev.rota.db.RotaDatabase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    private String name;

    @Option(names = "--team", paramLabel = "TEAM", defaultValue = JobSpec.DEFAULT_TEAM,
            description = "The job's team (default: ${DEFAULT-VALUE}).")
    private String team;

    @Mixin
    private DatabaseOptions database;

    @Override
    public Integer call() {
        boolean deleted;
        try (RotaDatabase db = database.open()) {
            deleted = db.jobs().delete(team, name);
        }
        if (!deleted) {
            throw new CommandFailedException("no job named '" + name + "' in team '" + team + "'");
        }
        spec.commandLine().getOut().printf("deleted job '%s' (team %s); its runs are kept%n", name, team);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
