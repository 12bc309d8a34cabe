package dev.rota.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How a failed run is retried: attempts and exponential backoff; the admin layer checks the values. */
public final class RetryOptions {
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
}
