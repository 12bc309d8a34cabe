package dev.rota.cli;

import picocli.CommandLine.Command;

/** {@code rota tasks}: one-off tasks. */
@Command(name = "tasks",
        header = "Submit one-off tasks, now or later.",
        description = "Writes to the PostgreSQL schema directly; the leading master dispatches the task when due.",
        subcommands = {TasksSubmitCommand.class, TasksParkedCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  rota tasks submit --task-type log --payload '{\"message\":\"once\"}' --in 30s",
            "  rota tasks submit --task-type report --at 2026-12-24T18:00:00Z",
            "  rota tasks parked --limit 20"})
final class TasksCommand extends CommandGroup {
}
