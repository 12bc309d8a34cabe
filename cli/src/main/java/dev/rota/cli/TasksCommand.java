package dev.rota.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code rota tasks}: one-off tasks. */
@Command(name = "tasks",
        header = "Submit one-off tasks, now or later.",
        description = "Writes to the PostgreSQL schema directly; the leading master dispatches the task when due.",
        subcommands = {TasksSubmitCommand.class, TasksParkedCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  rota tasks submit --task-type log --payload '{\"message\":\"once\"}' --in 30s",
            "  rota tasks submit --task-type report --at 2026-12-24T18:00:00Z",
            "  rota tasks parked --limit 20"})
final class TasksCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }
}
