package dev.rota.cli;

import dev.rota.admin.ConflictException;
import dev.rota.admin.Drafts;
import dev.rota.admin.JobDraft;
import dev.rota.db.JobDefinition;
import dev.rota.db.JobSpec;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota jobs add}: validates a job definition completely, then inserts it. */
@Command(name = "add",
        header = "Add a cron job.",
        description = {
            "The cron expression uses Quartz syntax, seconds first: 'sec min hour day-of-month month day-of-week"
                + " [year]', with '?' in one of the two day fields. It is checked, with the time zone and the"
                + " JSON payload, before anything is written; the job is then inserted and the leading master"
                + " schedules it within a second."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rota jobs add hello --cron '0/5 * * * * ?' --task-type log \\",
            "      --payload '{\"message\":\"hi\"}'",
            "  rota jobs add nightly-report --team finance --cron '0 30 2 * * ?' \\",
            "      --time-zone Europe/Paris --task-type report --timeout 20m \\",
            "      --max-attempts 5 --backoff 30s --concurrency FORBID",
            "  rota jobs add later --cron '0 0 12 ? * MON-FRI' --task-type noop --disabled"})
final class JobsAddCommand implements Callable<Integer> {
    private static final DateTimeFormatter NEXT_FIRE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", paramLabel = "NAME", description = "Job name, unique within its team.")
    private String name;

    @Option(names = "--cron", required = true, paramLabel = "EXPRESSION",
            description = "Quartz cron expression, seconds first; see the examples.")
    private String cron;

    @Option(names = "--task-type", required = true, paramLabel = "TYPE",
            description = "Task type; selects the workers' handler and queue, e.g. log, sleep, noop, fail.")
    private String taskType;

    @Option(names = "--payload", paramLabel = "JSON", defaultValue = "{}",
            description = "JSON payload given to the handler, at most 256 KiB (default: ${DEFAULT-VALUE}).")
    private String payload;

    @Option(names = "--team", paramLabel = "TEAM", defaultValue = JobSpec.DEFAULT_TEAM,
            description = "Owning team (default: ${DEFAULT-VALUE}).")
    private String team;

    @Option(names = "--time-zone", paramLabel = "ZONE", defaultValue = JobSpec.DEFAULT_TIME_ZONE,
            description = "Time zone the cron expression is read in, e.g. Europe/Paris (default: ${DEFAULT-VALUE}).")
    private String timeZone;

    @Mixin
    private RetryOptions retry;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long one attempt may run before it is interrupted (default: no limit).")
    private Duration timeout;

    @Option(names = "--starting-deadline", paramLabel = "DURATION",
            description = "A fire not started this long after its time is recorded SKIPPED with the reason instead"
                    + " of running late, e.g. 30s (default: no deadline).")
    private Duration startingDeadline;

    @Option(names = "--misfire", paramLabel = "POLICY", defaultValue = "FIRE_ONCE",
            description = "Fires missed while no master led: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private MisfirePolicy misfire;

    @Option(names = "--misfire-limit", paramLabel = "N", defaultValue = "" + JobSpec.DEFAULT_MISFIRE_LIMIT,
            description = "With FIRE_ALL, the most missed fires made up (default: ${DEFAULT-VALUE}).")
    private int misfireLimit;

    @Option(names = "--concurrency", paramLabel = "POLICY", defaultValue = "ALLOW",
            description = "When the previous run is still going: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private ConcurrencyPolicy concurrency;

    @Option(names = "--disabled", description = "Add the job disabled; 'rota jobs enable' starts it.")
    private boolean disabled;

    @Mixin
    private AdminAccess access;

    @Override
    public Integer call() {
        JobDraft draft = JobDraft.of(name, cron, taskType).withTeam(team).withTimeZone(timeZone).withPayload(payload)
                .withEnabled(!disabled).withPolicies(misfire.name(), misfireLimit, concurrency.name())
                .withRetry(retry.maxAttempts, retry.backoff, retry.multiplier, retry.maxBackoff).withTimeout(timeout)
                .withStartingDeadline(startingDeadline);
        Drafts.check(draft);
        JobDefinition created;
        String next;
        try (AdminAccess.Session s = access.open(false)) {
            created = s.admin().createJob(s.who(), draft);
            next = created.enabled() ? NEXT_FIRE.format(s.admin().preview(s.who(), created.id(), 1).get(0)) : null;
        } catch (ConflictException e) {
            throw new CommandFailedException(e.getMessage() + "; 'rota jobs delete " + name + "' removes it", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("added job '%s' (team %s, id %d): '%s' in %s, task type %s%s%n", created.name(), created.team(),
                created.id(), created.cron(), created.timeZone(), created.taskType(),
                next != null ? "; next fire " + next : "; disabled");
        out.flush();
        return 0;
    }
}
