package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A command that only groups subcommands, called without one: its usage on stderr, and a usage error's exit code. */
class CommandGroupTest {

    @Test
    void aGroupWithoutASubcommandShowsItsUsageAndFailsAsAUsageError() {
        for (String group : List.of("jobs", "tasks", "cluster", "tokens", "alerts", "db")) {
            Cli.Result result = Cli.run(group);

            assertThat(result.exitCode()).as(group).isEqualTo(2);
            assertThat(result.out()).as(group).isEmpty();
            assertThat(result.err()).as(group).contains("Usage: rota " + group).contains("-h, --help")
                    .contains("Commands:");
        }
    }
}
