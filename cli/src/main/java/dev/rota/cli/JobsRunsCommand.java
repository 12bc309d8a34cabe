package dev.rota.cli;

import dev.rota.admin.Page;
import dev.rota.admin.RunQuery;
import dev.rota.db.RunView;
import dev.rota.model.RunState;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota jobs runs}: the most recent runs, of one job or of all jobs and one-off tasks, a page at a time. */
@Command(name = "runs",
        header = "Show the most recent runs, newest first.",
        description = "Without NAME, the runs of every job and one-off task (shown as task:<type>). At most --limit"
                + " runs; when more match, the last line gives the --cursor of the next page. Times are UTC.",
        footerHeading = "%nExamples:%n",
        footer = {"  rota jobs runs", "  rota jobs runs hello --limit 5", "  rota jobs runs --team finance",
            "  rota jobs runs --state FAILED,DEAD --since 24h"})
final class JobsRunsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only the runs of this job.")
    private String name;

    @Option(names = "--team", paramLabel = "TEAM", description = "Only the runs of this team (default: all teams).")
    private String team;

    @Option(names = "--state", paramLabel = "STATE[,STATE]", split = ",",
            description = "Only runs in these states: ${COMPLETION-CANDIDATES}.")
    private Set<RunState> states;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only runs scheduled within this long, e.g. 24h.")
    private Duration since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "Most runs shown, 1 to 500 (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Start after the previous page (its last line).")
    private String cursor;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        Page<RunView> page;
        try (AdminAccess.Session s = access.open(false)) {
            page = s.admin().runs(s.who(), new RunQuery(team, null, name, null, states,
                    since == null ? null : Instant.now().minus(since), null, null, cursor, limit));
        }
        PagedTable.print(spec.commandLine().getOut(), page, name == null ? "no runs" : "no runs of job '" + name + "'",
                Table.of("RUN", "JOB", "SCHEDULED", "STATE", "ATTEMPT", "WORKER", "ERROR"),
                (table, run) -> table.row(run.id(), run.jobName() != null ? run.jobName() : "task:" + run.taskType(),
                        seconds(run.scheduledAt()), run.state(), run.attempt(), run.workerId(), run.error()));
        return 0;
    }

    private static String seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
