package dev.rota.cli;

import dev.rota.admin.AlertRuleDraft;
import dev.rota.admin.CreatedAlertRule;
import dev.rota.db.AlertDelivery;
import dev.rota.db.AlertRule;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota alerts}: alert webhook rules and their deliveries. */
@Command(name = "alerts", header = "Add, list and remove alert webhook rules; show deliveries.",
        description = {"A rule POSTs signed JSON to a URL for the events it names, of one team (or every team) and"
                + " optionally one job: RUN_FAILED, RUN_DEAD, RUN_TIMED_OUT, FIRE_SKIPPED, FIRE_LATE (with"
                + " --late-after), WORKER_LOST, NO_LEADER (with --leaderless-after). Each event makes exactly one"
                + " delivery per rule, retried with backoff until the receiver answers 2xx."},
        subcommands = {AlertsCommand.Add.class, AlertsCommand.ListRules.class, AlertsCommand.Remove.class,
            AlertsCommand.Deliveries.class},
        footerHeading = "%nExamples:%n",
        footer = {"  rota alerts add --team billing --kind RUN_FAILED,RUN_DEAD \\",
            "      --url https://hooks.example.org/rota",
            "  rota alerts add --kind NO_LEADER --leaderless-after 1m \\",
            "      --url https://pager.example.org/rota --secret-file /etc/rota/hook.secret",
            "  rota alerts list", "  rota alerts deliveries --rule 3", "  rota alerts remove 3"})
final class AlertsCommand extends CommandGroup {
    /** {@code rota alerts add}. */
    @Command(name = "add", header = "Add a rule; print its signing secret when one is made for it.",
            description = "Without --secret-file a secret is made and printed on stdout alone, once:"
                    + " SECRET=$(rota alerts add ...). Receivers check X-Rota-Signature with it.")
    static final class Add implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Option(names = "--team", paramLabel = "TEAM", description = "The team whose events it receives (default: every team).")
        private String team;

        @Option(names = "--job", paramLabel = "NAME", description = "Only this job of the team.")
        private String job;

        @Option(names = "--kind", required = true, split = ",", paramLabel = "KIND",
                description = "Event kinds, comma-separated or repeated.")
        private List<String> kinds = new ArrayList<>();

        @Option(names = "--url", required = true, paramLabel = "URL", description = "The http(s) URL to POST to.")
        private String url;

        @Option(names = "--secret-file", paramLabel = "FILE",
                description = "A file holding the signing secret (16 to 200 characters); never on the command line.")
        private Path secretFile;

        @Option(names = "--late-after", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "FIRE_LATE: how late a fire may start, e.g. 5m.")
        private Duration lateAfter;

        @Option(names = "--leaderless-after", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "NO_LEADER: how long the cluster may be without a leader, e.g. 1m.")
        private Duration leaderlessAfter;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            String secret = Secrets.fromFileOr("--secret-file", secretFile, null);
            CreatedAlertRule created;
            try (AdminAccess.Session s = access.open(false)) {
                created = s.admin().createAlertRule(s.who(), new AlertRuleDraft(team, job, kinds, url, secret, lateAfter,
                        leaderlessAfter));
            }
            if (secret == null) {
                spec.commandLine().getOut().println(created.secret());
                spec.commandLine().getOut().flush();
            }
            AlertRule r = created.rule();
            spec.commandLine().getErr().printf("added alert rule %d (%s, %s) to %s%s%n", r.id(),
                    r.team() == null ? "every team" : "team " + r.team(), r.jobName() == null ? "every job"
                            : "job " + r.jobName(), r.url(), secret == null ? "; its secret is shown only this once" : "");
            spec.commandLine().getErr().flush();
            return 0;
        }
    }

    /** {@code rota alerts list}. */
    @Command(name = "list", header = "List the rules (never their secrets).")
    static final class ListRules implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's rules.")
        private String team;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            List<AlertRule> rules;
            try (AdminAccess.Session s = access.open(false)) {
                rules = s.admin().alertRules(s.who(), team);
            }
            PagedTable.print(spec.commandLine().getOut(), rules, "no alert rules",
                    Table.of("ID", "TEAM", "JOB", "KINDS", "URL", "THRESHOLDS", "CREATED BY"), ListRules::row);
            return 0;
        }

        private static void row(Table table, AlertRule r) {
            List<String> thresholds = new ArrayList<>();
            if (r.lateAfter() != null) {
                thresholds.add("late " + r.lateAfter());
            }
            if (r.leaderlessAfter() != null) {
                thresholds.add("leaderless " + r.leaderlessAfter());
            }
            table.row(r.id(), r.team() == null ? "(all)" : r.team(), r.jobName() == null ? "(all)" : r.jobName(),
                    String.join(",", r.kinds().stream().sorted().map(Enum::name).toList()), r.url(),
                    thresholds.isEmpty() ? null : String.join(", ", thresholds), r.createdBy());
        }
    }

    /** {@code rota alerts remove}. */
    @Command(name = "remove", header = "Remove a rule and its deliveries.")
    static final class Remove implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Parameters(index = "0", paramLabel = "ID", description = "The rule's id (rota alerts list).")
        private long id;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            try (AdminAccess.Session s = access.open(false)) {
                s.admin().deleteAlertRule(s.who(), id);
            }
            spec.commandLine().getOut().printf("removed alert rule %d%n", id);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code rota alerts deliveries}. */
    @Command(name = "deliveries", header = "Show deliveries and their attempts, newest first.")
    static final class Deliveries implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Option(names = "--rule", paramLabel = "ID", description = "Only this rule's deliveries.")
        private Long rule;

        @Option(names = "--limit", paramLabel = "N", description = "At most this many (default 50, at most 500).")
        private Integer limit;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            List<AlertDelivery> deliveries;
            try (AdminAccess.Session s = access.open(false)) {
                deliveries = s.admin().alertDeliveries(s.who(), rule, limit);
            }
            PagedTable.print(spec.commandLine().getOut(), deliveries, "no alert deliveries",
                    Table.of("ID", "RULE", "EVENT", "STATUS", "ATTEMPTS", "LAST", "CREATED"),
                    (table, d) -> table.row(d.id(), d.ruleId(), d.eventKey(), d.status().name().toLowerCase(),
                            d.attempts(), d.lastStatus() != null ? "HTTP " + d.lastStatus() : d.lastError(),
                            d.createdAt().truncatedTo(ChronoUnit.SECONDS)));
            return 0;
        }
    }
}
