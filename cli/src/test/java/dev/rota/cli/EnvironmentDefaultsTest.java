package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

class EnvironmentDefaultsTest {
    private static final Map<String, String> FULL_ENV = Map.of(
            "ROTA_ZK", "zk1:2181,zk2:2181",
            "ROTA_NAMESPACE", "prod",
            "ROTA_DB_URL", "jdbc:postgresql://db:5432/rota",
            "ROTA_DB_USER", "scheduler",
            "ROTA_DB_PASSWORD", "s3cret",
            "ROTA_DB_SCHEMA", "rota_prod",
            "ROTA_AMQP_URI", "amqp://rota:pw@mq:5672/%2F",
            "ROTA_ZK_SESSION_TIMEOUT", "PT20S");

    @Test
    void withoutEnvironmentTheDefaultsPointAtLocalhost() {
        CommandSpec master = parse(Map.of(), "master");

        assertThat(value(master, "--zk")).isEqualTo("127.0.0.1:2181");
        assertThat(value(master, "--namespace")).isEqualTo("default");
        assertThat(value(master, "--db-url")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(value(master, "--db-user")).isEqualTo("postgres");
        assertThat(value(master, "--db-password")).isEqualTo("");
        assertThat(value(master, "--db-schema")).isEqualTo("rota");
        assertThat(value(master, "--amqp-uri")).isEqualTo("amqp://guest:guest@127.0.0.1:5672/%2F");
        assertThat(value(master, "--zk-session-timeout")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void environmentVariablesMeanTheSameAsTheFlags() {
        CommandSpec master = parse(FULL_ENV, "master");

        assertThat(value(master, "--zk")).isEqualTo("zk1:2181,zk2:2181");
        assertThat(value(master, "--namespace")).isEqualTo("prod");
        assertThat(value(master, "--db-url")).isEqualTo("jdbc:postgresql://db:5432/rota");
        assertThat(value(master, "--db-user")).isEqualTo("scheduler");
        assertThat(value(master, "--db-password")).isEqualTo("s3cret");
        assertThat(value(master, "--db-schema")).isEqualTo("rota_prod");
        assertThat(value(master, "--amqp-uri")).isEqualTo("amqp://rota:pw@mq:5672/%2F");
        assertThat(value(master, "--zk-session-timeout")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void theClusterSettingsAMasterPublishesComeFromFlagsOrTheEnvironment() {
        CommandSpec defaults = parse(Map.of(), "master");
        assertThat(value(defaults, "--queue-type")).isEqualTo(dev.rota.model.QueueType.QUORUM);
        assertThat(value(defaults, "--delivery-limit")).isEqualTo(5);
        assertThat(value(defaults, "--heartbeat-interval")).isEqualTo(Duration.ofSeconds(5));

        CommandSpec classic = parse(Map.of("ROTA_QUEUE_TYPE", "CLASSIC", "ROTA_DELIVERY_LIMIT", "9"), "master",
                "--heartbeat-interval", "2s", "--max-payload-bytes", "1024");
        assertThat(value(classic, "--queue-type")).isEqualTo(dev.rota.model.QueueType.CLASSIC);
        assertThat(value(classic, "--delivery-limit")).isEqualTo(9);
        assertThat(value(classic, "--heartbeat-interval")).isEqualTo(Duration.ofSeconds(2));
        assertThat(value(classic, "--max-payload-bytes")).isEqualTo(1024);
    }

    @Test
    void aFlagWinsOverItsVariable() {
        CommandSpec status = parse(FULL_ENV, "cluster", "status", "--zk", "other:2181", "--zk-session-timeout", "500ms");

        assertThat(value(status, "--zk")).isEqualTo("other:2181");
        assertThat(value(status, "--zk-session-timeout")).isEqualTo(Duration.ofMillis(500));
        assertThat(value(status, "--namespace")).isEqualTo("prod");
    }

    @Test
    void aBlankVariableCountsAsUnset() {
        CommandSpec list = parse(Map.of("ROTA_DB_URL", "  ", "ROTA_DB_USER", ""), "jobs", "list");

        assertThat(value(list, "--db-url")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(value(list, "--db-user")).isEqualTo("postgres");
    }

    @Test
    void theDemoTakesConnectionsFromTheEnvironmentButNeverTheSchemaOrNamespaceItWipes() {
        CommandSpec demo = parse(FULL_ENV, "demo");

        assertThat(value(demo, "--db-url")).isEqualTo("jdbc:postgresql://db:5432/rota");
        assertThat(value(demo, "--amqp-uri")).isEqualTo("amqp://rota:pw@mq:5672/%2F");
        assertThat(value(demo, "--db-schema")).isEqualTo("rota_demo");
        assertThat(value(demo, "--namespace")).isEqualTo("demo");
    }

    @Test
    void helpNamesTheVariableOfEveryOptionThatReadsOne() {
        List<String> checked = new ArrayList<>();
        for (CommandLine command : allCommands(RotaCommand.newCommandLine(Map.of(), writer(), writer()))) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                String variable = EnvironmentDefaults.variableOf(option);
                if (variable != null) {
                    assertThat(String.join(" ", option.description()))
                            .as("%s %s", command.getCommandSpec().qualifiedName(), option.longestName())
                            .contains(variable);
                    checked.add(variable);
                }
            }
        }
        assertThat(checked).contains("ROTA_ZK", "ROTA_NAMESPACE", "ROTA_DB_URL", "ROTA_DB_USER", "ROTA_DB_PASSWORD",
                "ROTA_DB_SCHEMA", "ROTA_AMQP_URI", "ROTA_ZK_SESSION_TIMEOUT");
    }

    @Test
    void everyCommandsHelpRendersWithinEightyColumnsAndWithoutFormatLeftovers() {
        for (CommandLine command : allCommands(RotaCommand.newCommandLine(Map.of(), writer(), writer()))) {
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = command.getCommandSpec().qualifiedName();
            assertThat(usage).as(name).contains("Usage: " + name).doesNotContain("%%").doesNotContain("%n");
            for (String line : command.getCommandSpec().usageMessage().footer()) {
                assertThat(line.replace("%%", "%").length()).as("%s footer: %s", name, line).isLessThan(80);
            }
        }
    }

    private static CommandSpec parse(Map<String, String> env, String... args) {
        ParseResult result = RotaCommand.newCommandLine(env, writer(), writer()).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec();
    }

    private static Object value(CommandSpec spec, String option) {
        return spec.findOption(option).getValue();
    }

    private static List<CommandLine> allCommands(CommandLine root) {
        List<CommandLine> all = new ArrayList<>();
        all.add(root);
        root.getSubcommands().values().forEach(sub -> all.addAll(allCommands(sub)));
        return all;
    }

    private static PrintWriter writer() {
        return new PrintWriter(new StringWriter());
    }
}
