package dev.rota.cli;

import dev.rota.model.RetryPolicy;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** How a failed run is retried: attempts and exponential backoff. */
public final class RetryOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "1",
            description = "Attempts in all, the first included; 1 means no retry (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--backoff", paramLabel = "DURATION", defaultValue = "1s",
            description = "Delay before the second attempt (default: ${DEFAULT-VALUE}).")
    Duration backoff;

    @Option(names = "--backoff-multiplier", paramLabel = "X", defaultValue = "2",
            description = "Growth factor of the delay between attempts, at least 1 (default: ${DEFAULT-VALUE}).")
    double multiplier;

    @Option(names = "--max-backoff", paramLabel = "DURATION", defaultValue = "5m",
            description = "Longest delay between attempts (default: ${DEFAULT-VALUE}).")
    Duration maxBackoff;

    /**
     * @throws ParameterException naming the value that is out of range
     */
    public RetryPolicy policy() {
        try {
            return RetryPolicy.maxAttempts(maxAttempts).backoff(backoff, multiplier).maxDelay(maxBackoff);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage(), e);
        }
    }
}
