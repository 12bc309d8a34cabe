package dev.rota.cli;

import dev.rota.db.JobSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The job a command acts on: its name and team. */
public final class JobRef {
    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name.")
    String name;

    @Option(names = "--team", paramLabel = "TEAM", defaultValue = JobSpec.DEFAULT_TEAM,
            description = "The job's team (default: ${DEFAULT-VALUE}).")
    String team;

    /** The error for a job that does not exist. */
    CommandFailedException notFound() {
        return new CommandFailedException("no job named '" + name + "' in team '" + team + "'");
    }
}
