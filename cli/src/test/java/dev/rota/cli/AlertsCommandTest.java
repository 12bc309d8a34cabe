package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.db.RotaDatabase;
import dev.rota.http.ApiServer;
import dev.rota.http.ApiServerConfig;
import dev.rota.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rota alerts} straight on the database, and through the API as a token. */
class AlertsCommandTest {
    private String schema;
    private Map<String, String> env;
    private RotaDatabase db;
    private Admin admin;
    private ApiServer server;

    @BeforeEach
    void start() {
        schema = TestServers.uniqueName("cli_alerts_").toLowerCase();
        TestServers.Postgres pg = TestServers.postgres();
        env = Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user(), "ROTA_DB_PASSWORD", pg.password(),
                "ROTA_DB_SCHEMA", schema);
        db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema)
                .maxPoolSize(4).build();
        db.migrate();
        admin = new AdminBuilder().database(db).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        admin.close();
        db.close();
        TestServers.dropSchema(schema);
    }

    @Test
    void addListShowAndRemoveRulesStraightOnTheDatabase(@TempDir Path dir) throws Exception {
        Cli.Result made = Cli.run(env, "alerts", "add", "--team", "billing", "--kind", "RUN_FAILED,run_dead",
                "--url", "https://hooks.example.org/rota");
        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out().strip()).matches("[0-9a-f]{64}");
        assertThat(made.err()).contains("added alert rule 1 (team billing, every job)", "shown only this once");

        Path secret = Files.writeString(dir.resolve("hook.secret"), "sixteen-chars-or-more\n");
        Cli.Result given = Cli.run(env, "alerts", "add", "--kind", "NO_LEADER", "--leaderless-after", "1m",
                "--url", "http://127.0.0.1:9/hook", "--secret-file", secret.toString());
        assertThat(given.exitCode()).as(given.err()).isZero();
        assertThat(given.out()).as("a secret of one's own is not printed").isEmpty();
        assertThat(db.alerts().claimLeaderless(1, java.time.Duration.ofSeconds(1))).isEmpty();

        Cli.Result bad = Cli.run(env, "alerts", "add", "--kind", "RUN_EXPLODED", "--url", "https://x.example.org/");
        assertThat(bad.exitCode()).as("invalid input is a usage error").isEqualTo(2);
        assertThat(bad.errLines()[0]).startsWith("rota: ").contains("kinds", "RUN_EXPLODED", "RUN_FAILED");
        assertThat(bad.errLines()[1]).isEqualTo("Try 'rota alerts add --help' for more information.");
        Cli.Result noThreshold = Cli.run(env, "alerts", "add", "--kind", "NO_LEADER", "--url", "https://x.example.org/");
        assertThat(noThreshold.err()).contains("leaderlessAfter is required with NO_LEADER");

        Cli.Result list = Cli.run(env, "alerts", "list");
        assertThat(list.out()).contains("billing", "RUN_FAILED,RUN_DEAD", "https://hooks.example.org/rota",
                "(all)", "NO_LEADER", "leaderless PT1M").doesNotContain("sixteen-chars-or-more");
        assertThat(Cli.run(env, "alerts", "deliveries").out()).contains("no alert deliveries");

        assertThat(Cli.run(env, "alerts", "remove", "1").out()).contains("removed alert rule 1");
        assertThat(Cli.run(env, "alerts", "remove", "1").err()).contains("no alert rule with id 1");
        assertThat(Cli.run(env, "audit", "--limit", "5").out()).contains("alert.delete", "alert-rule:1");
    }

    @Test
    void theSameCommandsThroughTheApiActAsTheToken() {
        Cli.Result created = Cli.run(env, "tokens", "create", "--name", "billing-admin", "--role", "admin", "--team",
                "billing");
        assertThat(created.exitCode()).as(created.err()).isZero();
        server = new ApiServer(ApiServerConfig.of(0).withHost("127.0.0.1"), admin, db, null, Clock.systemUTC());
        server.start();
        Map<String, String> api = Map.of("ROTA_API", server.url(), "ROTA_TOKEN", created.out().strip());

        Cli.Result made = Cli.run(api, "alerts", "add", "--team", "billing", "--job", "invoices", "--kind",
                "FIRE_LATE", "--late-after", "5m", "--url", "https://hooks.example.org/rota");
        assertThat(made.exitCode()).as(made.err()).isZero();
        Cli.Result elsewhere = Cli.run(api, "alerts", "add", "--team", "search", "--kind", "RUN_DEAD", "--url",
                "https://hooks.example.org/rota");
        assertThat(elsewhere.exitCode()).isEqualTo(1);
        assertThat(elsewhere.err()).contains("may act on team 'billing' only");

        assertThat(Cli.run(api, "alerts", "list").out()).contains("invoices", "FIRE_LATE", "late PT5M");
        assertThat(Cli.run(api, "alerts", "remove", "1").exitCode()).isZero();
        assertThat(Cli.run(env, "audit").out()).contains("billing-admin", "alert.create", "alert.delete");
    }
}
