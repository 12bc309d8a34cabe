package dev.rota.cli;

import dev.rota.admin.CreatedToken;
import dev.rota.admin.Role;
import dev.rota.db.ApiToken;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota tokens}: the HTTP API's bearer tokens. */
@Command(name = "tokens", header = "Create, list and revoke HTTP API tokens.",
        description = {"A token has a name (shown in the audit log), a role (viewer reads; operator also pauses,"
                + " triggers, submits, re-runs and cancels; admin also changes jobs, tokens and leadership) and a"
                + " team it is limited to (default: every team). Only a hash of it is stored."},
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class},
        footerHeading = "%nExamples:%n",
        footer = {"  rota tokens create --name ci --role operator --team billing",
            "  rota tokens list", "  rota tokens revoke ci"})
final class TokensCommand extends CommandGroup {
    /** {@code rota tokens create}. */
    @Command(name = "create", header = "Create a token and print it, once.",
            description = "The token is printed on stdout alone, so it can be captured: TOKEN=$(rota tokens create ...)."
                    + " It cannot be shown again.")
    static final class Create implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Unique name, e.g. ci or alice.")
        private String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "worker (reads only the worker settings), viewer, operator or admin.")
        private String role;

        @Option(names = "--team", paramLabel = "TEAM", description = "Limit the token to this team (default: every team).")
        private String team;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            Role parsed = Role.parse("role", role);
            CreatedToken created;
            try (AdminAccess.Session s = access.open(false)) {
                created = s.admin().createToken(s.who(), name, team, parsed);
            }
            spec.commandLine().getOut().println(created.secret());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().printf("created token '%s' (%s, %s); it is shown only this once%n",
                    created.token().name(), parsed.name().toLowerCase(), team == null ? "every team" : "team " + team);
            spec.commandLine().getErr().flush();
            return 0;
        }
    }

    /** {@code rota tokens list}. */
    @Command(name = "list", header = "List the tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            List<ApiToken> tokens;
            try (AdminAccess.Session s = access.open(false)) {
                tokens = s.admin().tokens(s.who());
            }
            PagedTable.print(spec.commandLine().getOut(), tokens, "no tokens",
                    Table.of("NAME", "ROLE", "TEAM", "CREATED", "REVOKED"),
                    (table, t) -> table.row(t.name(), t.role().toLowerCase(), t.team() == null ? "(all)" : t.team(),
                            t.createdAt().truncatedTo(ChronoUnit.SECONDS),
                            t.revokedAt() == null ? null : t.revokedAt().truncatedTo(ChronoUnit.SECONDS)));
            return 0;
        }
    }

    /** {@code rota tokens revoke}. */
    @Command(name = "revoke", header = "Revoke a token: it is refused from now on.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Parameters(index = "0", paramLabel = "NAME", description = "The token's name.")
        private String name;

        @Mixin
        private AdminAccess access;

        @Override
        public Integer call() {
            try (AdminAccess.Session s = access.open(false)) {
                s.admin().revokeToken(s.who(), name);
            }
            spec.commandLine().getOut().printf("revoked token '%s'%n", name);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
