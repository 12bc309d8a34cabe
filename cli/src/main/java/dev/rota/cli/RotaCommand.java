package dev.rota.cli;

import dev.rota.master.Master;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code rota} command. {@link #main} runs it against the process environment and exits with its
 * code; {@link #newCommandLine} builds it against any environment and writers, for tests.
 */
@Command(name = "rota", mixinStandardHelpOptions = true, versionProvider = RotaCommand.Version.class,
        header = "Rota: a distributed job scheduler for the JVM.",
        description = {
            "PostgreSQL keeps jobs and runs, ZooKeeper elects one leading master among several,"
                + " RabbitMQ carries tasks to workers.",
            "",
            "Every connection setting is a flag and an environment variable with the same meaning"
                + " (--zk and ROTA_ZK, --db-url and ROTA_DB_URL, ...); a flag wins over the variable."},
        subcommands = {MasterCommand.class, WorkerCommand.class, DemoCommand.class, JobsCommand.class,
            TasksCommand.class, ClusterCommand.class, TokensCommand.class, AlertsCommand.class, AuditCommand.class,
            DbCommand.class, MqttBridgeCommand.class, HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rota demo                          a whole cluster in one process",
            "  ROTA_ZK=zk1:2181 rota master       a master; run two or more",
            "  rota worker --task-types log,sleep a worker for two task types",
            "  rota jobs add hello --cron '0/5 * * * * ?' --task-type log \\",
            "      --payload '{\"message\":\"hi\"}'",
            "  rota jobs runs hello",
            "  rota cluster status",
            "  rota tokens create --name ci --role operator",
            "  ROTA_TOKEN=... rota jobs list --api http://master-1:8080"})
public final class RotaCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = Verbosity.OPTION, scope = ScopeType.INHERIT,
            description = "Print stack traces and library logs when something goes wrong.")
    private boolean verbose;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = newCommandLine(System.getenv(), out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The whole command tree, with defaults from {@code env}, output to {@code out} and errors to {@code err}.
     */
    public static CommandLine newCommandLine(Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new RotaCommand());
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setDefaultValueProvider(new EnvironmentDefaults(env));
        commandLine.setOut(out);
        commandLine.setErr(err);
        CliErrors errors = new CliErrors();
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionStrategy(RotaCommand::execute);
        HelpLayout.apply(commandLine);
        return commandLine;
    }

    private static int execute(ParseResult parseResult) {
        Secrets.refuseOnCommandLine(parseResult);
        Object leaf = parseResult.asCommandLineList().get(parseResult.asCommandLineList().size() - 1).getCommand();
        if (!(leaf instanceof ServerCommand) && !Verbosity.requested(parseResult)) {
            LogLevels.quiet();
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** Commands that run a master or a worker keep the library logs of logback.xml. */
    interface ServerCommand {
    }

    /** Prints the Rota version. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rota " + dev.rota.model.RotaVersion.current()};
        }
    }
}
