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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens made in direct mode, then the same admin commands through the HTTP API with them: the audit log
 * names the token, and a token's role is enforced on the CLI too.
 */
class ApiModeTest {
    private String schema;
    private Map<String, String> env;
    private RotaDatabase db;
    private Admin admin;
    private ApiServer server;

    @BeforeEach
    void start() {
        schema = TestServers.uniqueName("cli_api_").toLowerCase();
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

    private String token(String name, String role) {
        Cli.Result created = Cli.run(env, "tokens", "create", "--name", name, "--role", role);
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.err()).contains("shown only this once");
        return created.out().strip();
    }

    private Map<String, String> api(String token) {
        Map<String, String> e = new HashMap<>();
        e.put("ROTA_API", server.url());
        e.put("ROTA_TOKEN", token);
        return e;
    }

    @Test
    void theCommandsWorkThroughTheApiAsTheTokensPrincipal() throws Exception {
        String adminToken = token("alice", "admin");
        String viewerToken = token("bob", "viewer");
        server = new ApiServer(ApiServerConfig.of(0).withHost("127.0.0.1"), admin, db, null, Clock.systemUTC());
        server.start();

        Cli.Result added = Cli.run(api(adminToken), "jobs", "add", "remote", "--cron", "0 0 3 * * ?", "--task-type",
                "noop", "--team", "ops");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("added job 'remote' (team ops").contains("next fire");
        for (int i = 0; i < 3; i++) {
            assertThat(Cli.run(api(adminToken), "jobs", "add", "more" + i, "--cron", "0 0 3 * * ?", "--task-type",
                    "noop", "--team", "ops").exitCode()).isZero();
        }

        Cli.Result page = Cli.run(api(viewerToken), "jobs", "list", "--team", "ops", "--limit", "2");
        assertThat(page.exitCode()).as(page.err()).isZero();
        assertThat(page.out()).contains("more0", "more1").doesNotContain("remote").contains("more: --cursor ");
        String cursor = page.out().substring(page.out().indexOf("--cursor ") + 9).strip();
        assertThat(Cli.run(api(viewerToken), "jobs", "list", "--team", "ops", "--limit", "2", "--cursor", cursor).out())
                .contains("more2", "remote").doesNotContain("more: ");

        Cli.Result refused = Cli.run(api(viewerToken), "jobs", "disable", "remote", "--team", "ops");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("bob (viewer) may not pause jobs");
        assertThat(Cli.run(api(adminToken), "jobs", "disable", "remote", "--team", "ops").exitCode()).isZero();

        Cli.Result audit = Cli.run(env, "audit", "--limit", "3");
        assertThat(audit.out()).contains("alice", "job.pause", "job:ops/remote");
        assertThat(Cli.run(env, "tokens", "list").out()).contains("alice", "admin", "bob", "viewer");
        assertThat(Cli.run(env, "tokens", "revoke", "bob").exitCode()).isZero();
        assertThat(Cli.run(api(viewerToken), "jobs", "list").err()).contains("refused the token");
    }

    @Test
    void aTokenFileWorksAndTheApiModeNeedsAToken(@TempDir Path dir) throws Exception {
        String token = token("carol", "operator");
        server = new ApiServer(ApiServerConfig.of(0).withHost("127.0.0.1"), admin, db, null, Clock.systemUTC());
        server.start();
        Path file = dir.resolve("token");
        Files.writeString(file, token + "\n");

        Cli.Result submitted = Cli.run(Map.of("ROTA_API", server.url()), "tasks", "submit", "--task-type", "noop",
                "--in", "1h", "--token-file", file.toString());
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        Cli.Result runs = Cli.run(Map.of("ROTA_API", server.url(), "ROTA_TOKEN", token), "jobs", "runs");
        assertThat(runs.out()).as(runs.err())
                .contains("task:noop", "SCHEDULED");

        Cli.Result none = Cli.run(Map.of("ROTA_API", server.url()), "jobs", "list");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("needs a token");
    }
}
