package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** A worker's metrics port: off unless asked for, by flag or environment. */
class MetricsOptionsTest {
    @Test
    void aWorkerServesNoMetricsUnlessAPortIsGiven() {
        CommandSpec worker = parse(Map.of(), "worker");
        assertThat(worker.findOption("--metrics-port").<Integer>getValue()).isNull();
        assertThat(worker.findOption("--metrics-host").<String>getValue()).isEqualTo("0.0.0.0");
    }

    @Test
    void theEnvironmentMeansTheSameAsTheFlags() {
        CommandSpec worker = parse(Map.of("ROTA_METRICS_PORT", "9400", "ROTA_METRICS_HOST", "127.0.0.1"), "worker");
        assertThat(worker.findOption("--metrics-port").<Integer>getValue()).isEqualTo(9400);
        assertThat(worker.findOption("--metrics-host").<String>getValue()).isEqualTo("127.0.0.1");
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingTheFlag() {
        Cli.Result r = Cli.run("worker", "--metrics-port", "70000", "--zk", "127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--metrics-port").contains("65535");
    }

    private static CommandSpec parse(Map<String, String> env, String... args) {
        ParseResult result = RotaCommand.newCommandLine(env, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec();
    }
}
