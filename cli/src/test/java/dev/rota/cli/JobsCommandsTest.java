package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.JobDefinition;
import dev.rota.db.RotaDatabase;
import dev.rota.model.ConcurrencyPolicy;
import dev.rota.model.MisfirePolicy;
import dev.rota.testsupport.TestServers;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin commands against a real PostgreSQL, one fresh schema per test, configured through the environment. */
class JobsCommandsTest {
    private String schema;
    private Map<String, String> env;

    @BeforeEach
    void freshSchema() {
        schema = TestServers.uniqueName("cli_jobs_");
        TestServers.Postgres pg = TestServers.postgres();
        env = Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user(), "ROTA_DB_PASSWORD", pg.password(),
                "ROTA_DB_SCHEMA", schema);
        assertThat(Cli.run(env, "db", "migrate").exitCode()).isZero();
    }

    @AfterEach
    void dropSchema() {
        TestServers.dropSchema(schema);
    }

    @Test
    void addedJobsAreListedWithTheirSettings() {
        Cli.Result hello = Cli.run(env, "jobs", "add", "hello", "--cron", "0/5 * * * * ?", "--task-type", "log",
                "--payload", "{\"message\":\"hi\"}");
        Cli.Result report = Cli.run(env, "jobs", "add", "nightly-report", "--team", "finance", "--cron", "0 30 2 * * ?",
                "--time-zone", "Europe/Paris", "--task-type", "report", "--max-attempts", "3", "--backoff", "30s",
                "--backoff-multiplier", "1.5", "--max-backoff", "10m", "--timeout", "20m", "--misfire", "skip",
                "--concurrency", "FORBID", "--disabled", "--starting-deadline", "45s");

        assertThat(hello.exitCode()).as(hello.err()).isZero();
        assertThat(hello.out()).startsWith("added job 'hello' (team default, id ").contains("next fire");
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("added job 'nightly-report' (team finance").contains("disabled");

        Cli.Result list = Cli.run(env, "jobs", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.err()).isEmpty();
        String[] lines = list.out().strip().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(words(lines[0])).containsExactly("TEAM", "NAME", "CRON", "ZONE", "TYPE", "ENABLED", "SCHEDULE_ERROR");
        assertThat(lines[1]).startsWith("default").contains("hello", "0/5 * * * * ?", "UTC", "log", "true");
        assertThat(words(lines[1])).endsWith("-");
        assertThat(lines[2]).startsWith("finance").contains("nightly-report", "0 30 2 * * ?", "Europe/Paris", "report",
                "false");
        try (RotaDatabase db = open()) {
            JobDefinition stored = db.jobs().find("finance", "nightly-report").orElseThrow();
            assertThat(stored.retryPolicy().maxAttempts()).isEqualTo(3);
            assertThat(stored.retryPolicy().initialDelay()).isEqualTo(Duration.ofSeconds(30));
            assertThat(stored.retryPolicy().multiplier()).isEqualTo(1.5);
            assertThat(stored.retryPolicy().maxDelay()).isEqualTo(Duration.ofMinutes(10));
            assertThat(stored.timeout()).isEqualTo(Duration.ofMinutes(20));
            assertThat(stored.misfirePolicy()).isEqualTo(MisfirePolicy.SKIP);
            assertThat(stored.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.FORBID);
            assertThat(stored.startingDeadline()).isEqualTo(Duration.ofSeconds(45));
            assertThat(db.jobs().find("default", "hello").orElseThrow().startingDeadline()).isNull();
            assertThat(db.jobs().find("default", "hello").orElseThrow().payload()).contains("\"message\"", "\"hi\"");
        }
    }

    @Test
    void aDuplicateNameIsOneClearError() {
        Cli.run(env, "jobs", "add", "hello", "--cron", "0/5 * * * * ?", "--task-type", "log");

        Cli.Result again = Cli.run(env, "jobs", "add", "hello", "--cron", "0/9 * * * * ?", "--task-type", "noop");

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.out()).isEmpty();
        assertThat(again.errLines()).containsExactly(
                "rota: team 'default' already has a job named 'hello'; 'rota jobs delete hello' removes it");
    }

    @Test
    void disableEnableAndDeleteChangeTheJobAndUnknownJobsAreReported() {
        Cli.run(env, "jobs", "add", "hello", "--cron", "0/5 * * * * ?", "--task-type", "log");

        assertThat(Cli.run(env, "jobs", "disable", "hello").out()).isEqualTo("disabled job 'hello' (team default)\n");
        assertThat(Cli.run(env, "jobs", "list").out()).containsPattern("hello .* false");
        assertThat(Cli.run(env, "jobs", "enable", "hello").exitCode()).isZero();
        assertThat(Cli.run(env, "jobs", "list").out()).containsPattern("hello .* true");

        Cli.Result unknown = Cli.run(env, "jobs", "disable", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.errLines()).containsExactly("rota: no job named 'nope' in team 'default'");

        assertThat(Cli.run(env, "jobs", "delete", "hello").exitCode()).isZero();
        assertThat(Cli.run(env, "jobs", "list").out()).isEqualTo("no jobs\n");
        assertThat(Cli.run(env, "jobs", "delete", "hello").errLines())
                .containsExactly("rota: no job named 'hello' in team 'default'");
    }

    @Test
    void aTaskSubmittedWithAStartingDeadlineCarriesIt() {
        Cli.Result submitted = Cli.run(env, "tasks", "submit", "--task-type", "log", "--in", "2h",
                "--starting-deadline", "2m");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        try (RotaDatabase db = open()) {
            long id = Long.parseLong(submitted.out().split(" ")[2].replace(":", ""));
            assertThat(db.runs().find(id).orElseThrow().startingDeadline()).isEqualTo(Duration.ofMinutes(2));
        }
    }

    @Test
    void parkedMessagesAreListedWithTheirReasonOnOneLineEach() {
        assertThat(Cli.run(env, "tasks", "parked").out()).contains("no parked messages");
        try (RotaDatabase db = open()) {
            db.parked().park("rota.x.results", "malformed result: empty ResultMessage", new byte[0]);
            db.parked().park("rota.x.results", "refused", "{\"error\":\"a\nb\u0000\"}".getBytes());
        }

        Cli.Result parked = Cli.run(env, "tasks", "parked");

        assertThat(parked.exitCode()).as(parked.err()).isZero();
        String[] lines = parked.out().strip().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(words(lines[0])).containsExactly("ID", "SOURCE", "PARKED_AT", "REASON", "BODY");
        assertThat(lines[1]).startsWith("2").contains("refused").contains("a\\u000ab\\u0000");
        assertThat(lines[2]).startsWith("1").contains("malformed result: empty ResultMessage");
    }

    @Test
    void submittedTasksShowInTheRunsAndOnlyFinishedRunsCanBeRerun() {
        Cli.Result submitted = Cli.run(env, "tasks", "submit", "--task-type", "log", "--payload", "{\"message\":\"once\"}",
                "--in", "1h", "--key", "only-once");
        Cli.Result again = Cli.run(env, "tasks", "submit", "--task-type", "log", "--in", "1h", "--key", "only-once");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        assertThat(submitted.out()).startsWith("submitted run ").contains("task type log", "key only-once");
        String runId = submitted.out().split(" ")[2].replace(":", "");
        assertThat(again.out()).startsWith("submitted run " + runId + ":");

        Cli.Result runs = Cli.run(env, "jobs", "runs");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        String[] lines = runs.out().strip().split("\\R");
        assertThat(lines).hasSize(2);
        assertThat(words(lines[1])).startsWith(runId, "task:log").contains("SCHEDULED");

        Cli.Result rerun = Cli.run(env, "jobs", "rerun", runId);
        assertThat(rerun.exitCode()).isEqualTo(1);
        assertThat(rerun.errLines()).containsExactly("rota: run " + runId
                + " is SCHEDULED; only FAILED, TIMED_OUT, CANCELLED and DEAD runs can be re-run");
        assertThat(Cli.run(env, "jobs", "rerun", "987654").errLines()).containsExactly("rota: no run with id 987654");
    }

    private RotaDatabase open() {
        TestServers.Postgres pg = TestServers.postgres();
        return RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema)
                .maxPoolSize(1).build();
    }

    private static String[] words(String line) {
        return Arrays.stream(line.split("\\s{2,}")).map(String::strip).toArray(String[]::new);
    }
}
