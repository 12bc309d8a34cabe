package dev.rota.cli;

import picocli.CommandLine.Command;

/** {@code rota jobs}: the recurring jobs and their runs, straight in PostgreSQL. */
@Command(name = "jobs",
        header = "Add, list, enable, disable and delete cron jobs; look at and re-run their runs.",
        description = {
            "Works directly on the PostgreSQL schema (--db-url, --db-schema or ROTA_DB_*), creating or upgrading"
                + " it if needed. The leading master notices every change within a second; no master needs to run"
                + " for these commands to work."},
        subcommands = {JobsAddCommand.class, JobsListCommand.class, JobsRunsCommand.class,
            JobToggleCommand.Enable.class, JobToggleCommand.Disable.class, JobsDeleteCommand.class,
            JobsRerunCommand.class, JobsCancelCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rota jobs add hello --cron '0/5 * * * * ?' --task-type log \\",
            "      --payload '{\"message\":\"hi\"}'",
            "  rota jobs list",
            "  rota jobs runs hello --limit 5",
            "  rota jobs disable hello",
            "  rota jobs rerun 42"})
final class JobsCommand extends CommandGroup {
}
