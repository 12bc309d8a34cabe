package dev.rota.cli;

import dev.rota.db.DatabaseRoles;
import dev.rota.db.RotaDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota db}: the schema and who may use it. */
@Command(name = "db",
        header = "Create or upgrade the schema; grant roles least privileges.",
        description = "Run these as the role that owns the schema (the migration role). Other commands change no"
                + " schema: they run with a runtime, read-only or team role.",
        subcommands = {DbCommand.Migrate.class, DbCommand.Grant.class},
        footerHeading = "%nExamples:%n",
        footer = {"  ROTA_DB_USER=rota_owner rota db migrate",
            "  rota db grant rota_master --runtime",
            "  rota db grant rota_dashboard --read-only",
            "  rota db grant team_billing --team billing"})
final class DbCommand extends CommandGroup {
    @Command(name = "migrate", header = "Create the schema or bring it to this Rota's version.")
    static final class Migrate implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Mixin
        private DatabaseOptions database;

        @Override
        public Integer call() {
            try (RotaDatabase db = database.open(true)) {
                spec.commandLine().getOut().println("schema " + database.config().schema() + " is current");
            }
            return 0;
        }
    }

    @Command(name = "grant", header = "Grant a role what masters, readers or one team need (creating it NOLOGIN if missing).")
    static final class Grant implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Mixin
        private HelpOption help;

        @Parameters(index = "0", paramLabel = "ROLE", description = "A lowercase PostgreSQL role name.")
        private String role;

        @ArgGroup(exclusive = true, multiplicity = "1")
        private KindOption kind;

        @Mixin
        private DatabaseOptions database;

        static final class KindOption {
            @Option(names = "--runtime", description = "Masters: read and write rows of every table, no DDL.")
            boolean runtime;

            @Option(names = "--read-only", description = "Read every table.")
            boolean readOnly;

            @Option(names = "--team", paramLabel = "TEAM", description = "Insert and change only this team's jobs"
                    + " (row-level security); read runs.")
            String team;
        }

        @Override
        public Integer call() {
            DatabaseRoles.Kind k = kind.runtime ? DatabaseRoles.Kind.RUNTIME
                    : kind.readOnly ? DatabaseRoles.Kind.READ_ONLY : DatabaseRoles.Kind.TEAM;
            var config = database.config();
            try (RotaDatabase db = database.open(); Connection c = connect(config)) {
                DatabaseRoles.grant(c, config.schema(), role, k, kind.team);
            } catch (SQLException e) {
                throw new CommandFailedException("cannot grant " + role + " in schema " + config.schema() + ": "
                        + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            spec.commandLine().getOut().println("granted " + role + " " + k.name().toLowerCase().replace('_', '-')
                    + (kind.team == null ? "" : " of team " + kind.team) + " in schema " + config.schema());
            return 0;
        }

        private static Connection connect(dev.rota.db.DatabaseConfig config) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", config.user());
            p.setProperty("password", config.password() == null ? "" : config.password());
            return DriverManager.getConnection(config.url(), p);
        }
    }
}
