package dev.rota.cli;

import dev.rota.db.JobDefinition;
import dev.rota.db.RotaDatabase;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rota jobs list}: every job, one line each. */
@Command(name = "list",
        header = "List the cron jobs.",
        description = "One line per job, by team and name. SCHEDULE_ERROR is set by the leading master when it"
                + " cannot schedule a job (for instance a cron expression written with plain SQL that Quartz rejects).")
final class JobsListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private DatabaseOptions database;

    @Override
    public Integer call() {
        List<JobDefinition> jobs;
        try (RotaDatabase db = database.open()) {
            jobs = db.jobs().list();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (jobs.isEmpty()) {
            out.println("no jobs");
            out.flush();
            return 0;
        }
        Table table = Table.of("TEAM", "NAME", "CRON", "ZONE", "TYPE", "ENABLED", "SCHEDULE_ERROR");
        for (JobDefinition job : jobs) {
            table.row(job.team(), job.name(), job.cron(), job.timeZone(), job.taskType(), job.enabled(),
                    job.scheduleError());
        }
        table.print(out);
        return 0;
    }
}
