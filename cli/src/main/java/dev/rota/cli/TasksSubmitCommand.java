package dev.rota.cli;

import dev.rota.db.JobSpec;
import dev.rota.admin.Drafts;
import dev.rota.admin.TaskDraft;
import dev.rota.db.RunView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rota tasks submit}: inserts a one-off task. */
@Command(name = "submit", header = "Submit a one-off task.",
        description = {
            "The task runs once, now or at the time given with --at or --in (measured by the database's clock)."
                + " With --key, submitting again with the same key returns the first run instead of adding one."},
        footerHeading = "%nExamples:%n",
        footer = {"  rota tasks submit --task-type log --payload '{\"message\":\"once\"}'",
            "  rota tasks submit --task-type sleep --payload '{\"millis\":2000}' --in 30s",
            "  rota tasks submit --task-type report --at 2026-12-24T18:00:00Z \\",
            "      --key xmas-report --max-attempts 3"})
final class TasksSubmitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--task-type", required = true, paramLabel = "TYPE",
            description = "Task type; selects the workers' handler and queue.")
    private String taskType;

    @Option(names = "--payload", paramLabel = "JSON", defaultValue = "{}",
            description = "JSON payload given to the handler, at most 256 KiB (default: ${DEFAULT-VALUE}).")
    private String payload;

    @Option(names = "--team", paramLabel = "TEAM", defaultValue = JobSpec.DEFAULT_TEAM,
            description = "Owning team (default: ${DEFAULT-VALUE}).")
    private String team;

    @ArgGroup(exclusive = true)
    private When when;

    @Option(names = "--key", paramLabel = "IDEMPOTENCY_KEY",
            description = "Idempotency key: a second submission with the same key adds nothing.")
    private String key;

    @Mixin
    private RetryOptions retry;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long one attempt may run before it is interrupted (default: no limit).")
    private Duration timeout;

    @Option(names = "--starting-deadline", paramLabel = "DURATION",
            description = "Not started this long after it is due, the task is recorded SKIPPED instead of running"
                    + " late, e.g. 30s (default: no deadline).")
    private Duration startingDeadline;

    @Mixin
    private AdminAccess access;

    /** Either an absolute or a relative due time. */
    static final class When {
        @Option(names = "--at", paramLabel = "INSTANT", converter = InstantConverter.class,
                description = "Due time, ISO-8601: 2026-12-24T18:00:00Z.")
        Instant at;

        @Option(names = "--in", paramLabel = "DURATION", description = "Run after this delay, e.g. 30s or 5m.")
        Duration in;
    }

    @Override
    public Integer call() {
        TaskDraft draft = draft(null);
        Drafts.check(draft);
        RunView run;
        try (AdminAccess.Session s = access.open(false)) {
            run = s.admin().submit(s.who(), draft(runAt()));
        }
        spec.commandLine().getOut().printf("submitted run %d: task type %s, due %s%s%n", run.id(), run.taskType(),
                run.dueAt().truncatedTo(ChronoUnit.MILLIS), key == null ? "" : ", key " + key);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Null means now, by the admin layer's clock. */
    private Instant runAt() {
        if (when != null && when.at != null) {
            return when.at;
        }
        return when != null && when.in != null ? Instant.now().plus(when.in) : null;
    }

    private TaskDraft draft(Instant runAt) {
        return new TaskDraft(team, taskType, payload, runAt, key, retry.maxAttempts, retry.backoff, retry.multiplier,
                retry.maxBackoff, timeout, startingDeadline);
    }
}
