package dev.rota.cli;

import dev.rota.db.RotaDatabase;
import dev.rota.db.RunView;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota jobs runs}: the most recent runs, of one job or of all jobs and one-off tasks. */
@Command(name = "runs",
        header = "Show the most recent runs, newest first.",
        description = "Without NAME, the runs of every job and one-off task (shown as task:<type>)."
                + " Times are UTC.",
        footerHeading = "%nExamples:%n",
        footer = {"  rota jobs runs", "  rota jobs runs hello --limit 5", "  rota jobs runs --team finance"})
final class JobsRunsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only the runs of this job.")
    private String name;

    @Option(names = "--team", paramLabel = "TEAM", description = "Only the runs of this team (default: all teams).")
    private String team;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Most runs shown (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Mixin
    private DatabaseOptions database;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, was " + limit);
        }
        List<RunView> runs;
        try (RotaDatabase db = database.open()) {
            runs = db.runs().recent(team, name, limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (runs.isEmpty()) {
            out.println(name == null ? "no runs" : "no runs of job '" + name + "'");
            out.flush();
            return 0;
        }
        Table table = Table.of("RUN", "JOB", "SCHEDULED", "STATE", "ATTEMPT", "WORKER", "ERROR");
        for (RunView run : runs) {
            table.row(run.id(), run.jobName() != null ? run.jobName() : "task:" + run.taskType(),
                    seconds(run.scheduledAt()), run.state(), run.attempt(), run.workerId(), run.error());
        }
        table.print(out);
        return 0;
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
