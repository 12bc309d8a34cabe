package dev.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.admin.Admin;
import dev.rota.admin.AdminBuilder;
import dev.rota.http.ApiFixture.Reply;
import dev.rota.master.Master;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiClusterTest {
    ApiFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new ApiFixture();
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    @Test
    void meNamesThePrincipal() throws Exception {
        JsonNode me = f.get("/api/v1/me", f.alphaOperatorToken).body();
        assertThat(me.get("name").asText()).isEqualTo("alpha-ops");
        assertThat(me.get("role").asText()).isEqualTo("operator");
        assertThat(me.get("team").asText()).isEqualTo("alpha");
    }

    @Test
    void aWorkerTokenReadsTheWorkerSettingsAndNothingElse() throws Exception {
        Reply settings = await().atMost(Duration.ofSeconds(10))
                .until(() -> f.get("/api/v1/settings", f.workerToken), r -> r.status() == 200);
        JsonNode s = settings.body();
        assertThat(s.get("namespace").asText()).isEqualTo(f.namespace);
        assertThat(s.at("/names/resultsQueue").asText()).isEqualTo("rota." + f.namespace + ".results");
        assertThat(s.at("/taskQueueArguments/x-dead-letter-exchange").asText()).isEqualTo("rota." + f.namespace + ".dlx");
        assertThat(Duration.parse(s.get("workerLostAfter").asText())).as("the masters' ZooKeeper session timeout")
                .isEqualTo(ApiFixture.SESSION_TIMEOUT);
        assertThat(s.toString()).as("no credentials").doesNotContain("amqp://").doesNotContain("guest");
        assertThat(f.get("/api/v1/settings", f.viewerToken).status()).isEqualTo(200);
        assertThat(f.get("/api/v1/me", f.workerToken).body().get("role").asText()).isEqualTo("worker");

        for (String path : java.util.List.of("/api/v1/jobs", "/api/v1/runs", "/api/v1/cluster", "/api/v1/audit")) {
            Reply refused = f.get(path, f.workerToken);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.body().get("detail").asText()).as(path).contains("worker");
        }
        assertThat(f.post("/api/v1/tasks", f.workerToken, "{\"taskType\":\"noop\"}").status()).isEqualTo(403);
    }

    @Test
    void clusterStatusAndAFailoverThatOnlyAnAllTeamsAdminMayAsk() throws Exception {
        Master standby = f.startStandby("m2");
        await().atMost(Duration.ofSeconds(10)).until(() -> f.get("/api/v1/cluster", f.viewerToken).body()
                .get("masters").size() == 2);
        JsonNode cluster = f.get("/api/v1/cluster", f.viewerToken).body();
        assertThat(cluster.get("leaderId").asText()).isEqualTo("m1");
        assertThat(cluster.get("epoch").asLong()).isPositive();
        assertThat(cluster.get("workers").get(0).get("id").asText()).isEqualTo("w1");

        assertThat(f.post("/api/v1/cluster/failover", f.operatorToken, null).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/cluster/failover", f.alphaAdminToken, null).status()).isEqualTo(403);
        Reply failover = f.post("/api/v1/cluster/failover", f.adminToken, null);
        assertThat(failover.status()).as(failover.text()).isEqualTo(200);
        assertThat(failover.body().get("askedToStepDown").asText()).isEqualTo("m1");

        await().atMost(Duration.ofSeconds(20)).until(standby::isLeader);
        await().atMost(Duration.ofSeconds(5)).until(() -> "m2".equals(f.get("/api/v1/cluster", f.viewerToken).body()
                .get("leaderId").asText()));
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE action = 'cluster.failover' AND actor = 'root'"
                + " AND target = 'master:m1'")).isEqualTo(1);
    }

    @Test
    void tokensAreMadeListedAndRevokedByAnAllTeamsAdminOnly() throws Exception {
        String body = "{\"name\":\"ci\",\"team\":\"alpha\",\"role\":\"viewer\"}";
        assertThat(f.post("/api/v1/tokens", f.operatorToken, body).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/tokens", f.alphaAdminToken, body).status()).isEqualTo(403);
        assertThat(f.get("/api/v1/tokens", f.viewerToken).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/tokens", f.adminToken, body.replace("viewer", "root")).body().get("field").asText())
                .isEqualTo("role");

        Reply created = f.post("/api/v1/tokens", f.adminToken, body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String secret = created.body().get("secret").asText();
        assertThat(f.get("/api/v1/me", secret).body().get("name").asText()).isEqualTo("ci");
        assertThat(f.post("/api/v1/tokens", f.adminToken, body).status()).isEqualTo(409);
        assertThat(f.get("/api/v1/tokens", f.adminToken).text()).contains("\"ci\"").doesNotContain(secret)
                .doesNotContain("hash");
        assertThat(f.count("SELECT count(*) FROM api_token WHERE name = 'ci' AND position('"
                + secret.substring(secret.lastIndexOf('_') + 1) + "' in encode(hash, 'base64')) > 0")).isZero();

        assertThat(f.call("DELETE", "/api/v1/tokens/ci", f.operatorToken, null).status()).isEqualTo(403);
        assertThat(f.call("DELETE", "/api/v1/tokens/ci", f.adminToken, null).status()).isEqualTo(200);
        assertThat(f.get("/api/v1/me", secret).status()).isEqualTo(401);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE target = 'token:ci'"
                + " AND action IN ('token.create', 'token.revoke')")).isEqualTo(2);
    }

    @Test
    void theAuditLogIsPagedNewestFirstAndScopedToTheTeam() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(f.post("/api/v1/jobs", f.alphaAdminToken, "{\"team\":\"alpha\",\"name\":\"audited" + i
                    + "\",\"cron\":\"0 0 1 * * ?\",\"taskType\":\"noop\"}").status()).isEqualTo(201);
        }
        List<String> targets = new ArrayList<>();
        String cursor = null;
        do {
            Reply r = f.get("/api/v1/audit?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), f.alphaOperatorToken);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            r.body().get("items").forEach(e -> {
                assertThat(e.get("team").asText()).isEqualTo("alpha");
                targets.add(e.get("target").asText());
            });
            cursor = r.body().get("next").isNull() ? null : r.body().get("next").asText();
        } while (cursor != null);
        assertThat(targets).containsSubsequence("job:alpha/audited2", "job:alpha/audited1", "job:alpha/audited0");
        JsonNode all = f.get("/api/v1/audit?limit=500", f.viewerToken).body().get("items");
        assertThat(all.toString()).contains("token:root");
    }

    @Test
    void anUnknownPathIsAProblemToo() throws Exception {
        Reply r = f.get("/api/v1/nothing-here", f.viewerToken);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theServerRefusesToStartWithoutATokenUnlessInsecureLocal() throws Exception {
        String schema = dev.rota.testsupport.TestServers.uniqueName("apinotoken").toLowerCase();
        dev.rota.testsupport.TestServers.Postgres pg = dev.rota.testsupport.TestServers.postgres();
        try (dev.rota.db.RotaDatabase db = dev.rota.db.RotaDatabase.builder().url(pg.url()).user(pg.user())
                .password(pg.password()).schema(schema).maxPoolSize(3).build();
                Admin empty = new AdminBuilder().database(db).build()) {
            db.migrate();
            ApiServer refused = new ApiServer(ApiServerConfig.of(0), empty, db, null, Clock.systemUTC());
            assertThatThrownBy(refused::start).isInstanceOf(ApiStartException.class)
                    .hasMessageContaining("--insecure-local");

            try (ApiServer local = new ApiServer(ApiServerConfig.of(0).withInsecureLocal(true), empty, db, null,
                    Clock.systemUTC())) {
                local.start();
                assertThat(local.url()).startsWith("http://127.0.0.1:");
                HttpResponse<String> me = f.http.send(HttpRequest.newBuilder(URI.create(local.url() + "/api/v1/me"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(me.statusCode()).isEqualTo(200);
                assertThat(me.body()).contains("\"admin\"");
            }
        } finally {
            dev.rota.testsupport.TestServers.dropSchema(schema);
        }
    }
}
