package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code jobs add} must reject bad input before it touches the database. The database here is unreachable,
 * so a check that ran after connecting would fail with a connection error instead of the expected message.
 */
class JobsAddValidationTest {
    private static final String[] UNREACHABLE_DB = {"--db-url", "jdbc:postgresql://127.0.0.1:1/postgres",
        "--db-connection-timeout", "1s"};

    @Test
    void malformedCronIsRejectedNamingTheExpressionAndTheSyntax() {
        Cli.Result result = add("hello", "--cron", "*/5 * * * *", "--task-type", "log");

        assertUsageError(result, "malformed cron expression '*/5 * * * *'");
        assertThat(result.err()).contains("seconds first");
    }

    @Test
    void unknownTimeZoneIsRejectedNamingTheZone() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--time-zone", "Mars/Olympus");

        assertUsageError(result, "unknown time zone 'Mars/Olympus'");
    }

    @Test
    void malformedJsonPayloadIsRejectedNamingWhereItBreaks() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--payload", "{\"message\": hi}");

        assertUsageError(result, "payload is not valid JSON");
        assertThat(result.err()).contains("line 1, column");
    }

    @Test
    void textAfterTheJsonValueIsRejected() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--payload", "{} {}");

        assertUsageError(result, "payload is not valid JSON: unexpected text after the JSON value");
    }

    @Test
    void payloadOverTheLimitIsRejectedWithItsSizeAndTheLimit() {
        String big = "{\"data\":\"" + "x".repeat(dev.rota.model.ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES) + "\"}";

        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--payload", big);

        assertUsageError(result, "payload is " + big.length() + " bytes of JSON; the limit is 262144 bytes (256 KiB)");
    }

    @Test
    void outOfRangeRetrySettingsAreRejectedNamingTheValue() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--max-attempts", "0");

        assertUsageError(result, "maxAttempts must be at least 1, was 0");
    }

    @Test
    void aMisfireLimitAboveTheBoundIsRejectedNamingTheBound() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--misfire-limit", "5000000");

        assertUsageError(result, "misfireLimit of job 'hello' must be between 1 and 10000, was 5000000");
    }

    @Test
    void invalidTaskTypeIsRejectedWithTheNamingRule() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "reports.daily");

        assertUsageError(result, "task type 'reports.daily' is invalid");
    }

    @Test
    void validInputGetsAsFarAsTheDatabaseAndReportsItUnreachableInOneLine() {
        Cli.Result result = add("hello", "--cron", "0/5 * * * * ?", "--task-type", "log", "--payload", "{\"message\":\"hi\"}");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("rota: cannot use PostgreSQL at jdbc:postgresql://127.0.0.1:1/postgres")
                .contains("refused");
    }

    @Test
    void verboseAddsTheStackTrace() {
        List<String> args = new ArrayList<>(List.of("jobs", "list", "--verbose"));
        args.addAll(List.of(UNREACHABLE_DB));

        Cli.Result result = Cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("rota: cannot use PostgreSQL").contains("CommandFailedException").contains("\tat ");
    }

    private static Cli.Result add(String... args) {
        List<String> all = new ArrayList<>(List.of("jobs", "add"));
        all.addAll(List.of(args));
        all.addAll(List.of(UNREACHABLE_DB));
        return Cli.run(all.toArray(String[]::new));
    }

    private static void assertUsageError(Cli.Result result, String message) {
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(2);
        assertThat(result.errLines()[0]).startsWith("rota: ").contains(message);
        assertThat(result.errLines()[1]).isEqualTo("Try 'rota jobs add --help' for more information.");
    }
}
