package dev.rota.cli;

import dev.rota.admin.JobQuery;
import dev.rota.admin.Page;
import dev.rota.db.JobDefinition;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rota jobs list}: one page of jobs, one line each. */
@Command(name = "list",
        header = "List the cron jobs, a page at a time.",
        description = "One line per job, by team and name, at most --limit of them; when more match, the last line"
                + " gives the --cursor of the next page. SCHEDULE_ERROR is set by the leading master when it"
                + " cannot schedule a job (for instance a cron expression written with plain SQL that Quartz rejects).",
        footerHeading = "%nExamples:%n",
        footer = {"  rota jobs list --team finance", "  rota jobs list --state paused --search report --limit 20"})
final class JobsListCommand implements Callable<Integer> {
    /** Which jobs by their enabled flag. */
    enum JobState { ENABLED, PAUSED }

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's jobs.")
    private String team;

    @Option(names = "--task-type", paramLabel = "TYPE", description = "Only jobs of this task type.")
    private String taskType;

    @Option(names = "--state", paramLabel = "STATE", description = "Only ${COMPLETION-CANDIDATES} jobs.")
    private JobState state;

    @Option(names = "--search", paramLabel = "TEXT", description = "Only jobs whose name contains TEXT (any case).")
    private String search;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Most jobs shown, 1 to 500 (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Start after the previous page (its last line).")
    private String cursor;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        Page<JobDefinition> page;
        try (AdminAccess.Session s = access.open(false)) {
            page = s.admin().jobs(s.who(), new JobQuery(team, taskType,
                    state == null ? null : state == JobState.ENABLED, search, cursor, limit));
        }
        PagedTable.print(spec.commandLine().getOut(), page, "no jobs",
                Table.of("TEAM", "NAME", "CRON", "ZONE", "TYPE", "ENABLED", "SCHEDULE_ERROR"),
                (table, job) -> table.row(job.team(), job.name(), job.cron(), job.timeZone(), job.taskType(),
                        job.enabled(), job.scheduleError()));
        return 0;
    }
}
