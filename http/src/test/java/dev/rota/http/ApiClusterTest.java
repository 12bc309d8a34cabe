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

        for (String path : java.util.List.of("/api/v1/jobs", "/api/v1/runs", "/api/v1/cluster", "/api/v1/audit",
                "/api/v1/messages/parked", "/api/v1/messages/rejected", "/api/v1/stats/fires")) {
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
    void parkedAndRejectedMessagesAreListedWithTheRunTheyNameForAllTeamsTokensOnly() throws Exception {
        Reply submitted = f.post("/api/v1/tasks", f.operatorToken, "{\"taskType\":\"fail\",\"payload\":{}}");
        long runId = submitted.body().get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(
                f.get("/api/v1/runs/" + runId, f.viewerToken).body().get("run").get("state").asText()));
        byte[] parkedBody = ("{\"version\":1,\"runId\":" + runId + ",\"attempt\":1,\"status\":\"SUCCEEDED\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long parkedId = f.master.database().parked().park("rota.test.results", "refused by PostgreSQL", parkedBody);
        f.master.database().brokerClients().recordRejected(dev.rota.db.BrokerClients.Source.SUBMISSION,
                "task type 'bad.type' is invalid", "{\"taskType\":\"bad.type\"}".getBytes(), "corr-1", null);

        JsonNode parked = f.get("/api/v1/messages/parked", f.viewerToken).body();
        JsonNode p = find(parked, parkedId);
        assertThat(p.get("kind").asText()).isEqualTo("PARKED");
        assertThat(p.get("reason").asText()).isEqualTo("refused by PostgreSQL");
        assertThat(p.get("runId").asLong()).isEqualTo(runId);
        assertThat(p.get("runState").asText()).isEqualTo("FAILED");
        assertThat(p.get("bodyBytes").asInt()).isEqualTo(parkedBody.length);
        JsonNode rejected = f.get("/api/v1/messages/rejected?limit=10", f.viewerToken).body();
        assertThat(rejected.get(0).get("source").asText()).isEqualTo("SUBMISSION");
        assertThat(rejected.get(0).get("body").asText()).contains("bad.type");
        assertThat(rejected.get(0).get("runId").isNull()).isTrue();

        assertThat(f.get("/api/v1/messages/parked", f.alphaOperatorToken).status()).isEqualTo(403);
        assertThat(f.get("/api/v1/messages/rejected", f.alphaAdminToken).status()).isEqualTo(403);
        Reply tooMany = f.get("/api/v1/messages/parked?limit=501", f.viewerToken);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().get("field").asText()).isEqualTo("limit");
    }

    private static JsonNode find(JsonNode list, long id) {
        for (JsonNode m : list) {
            if (m.get("id").asLong() == id) {
                return m;
            }
        }
        throw new AssertionError("no message " + id + " in " + list);
    }

    @Test
    void theClusterShowsEachWorkersLoadAndTheQueueDepthPerTaskType() throws Exception {
        Reply r = f.post("/api/v1/tasks", f.operatorToken, "{\"taskType\":\"sleep\",\"payload\":{\"millis\":4000}}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode cluster = f.get("/api/v1/cluster", f.viewerToken).body();
            JsonNode w1 = cluster.get("workers").get(0);
            assertThat(w1.get("id").asText()).isEqualTo("w1");
            assertThat(w1.get("inFlight").asLong()).isEqualTo(1);
            assertThat(w1.get("lastHeartbeat").isNull()).isFalse();
            JsonNode sleep = null;
            for (JsonNode q : cluster.get("queues")) {
                if (q.get("taskType").asText().equals("sleep")) {
                    sleep = q;
                }
            }
            assertThat(sleep).isNotNull();
            assertThat(sleep.get("running").asLong()).isEqualTo(1);
            assertThat(sleep.get("workerCapacity").asInt()).isEqualTo(w1.get("capacity").asInt());
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> f.get("/api/v1/cluster", f.viewerToken).body()
                .get("workers").get(0).get("inFlight").asLong() == 0);
    }

    @Test
    void fireStatsCountRunsPerMinuteWithTheirLatenessWithinABoundedWindow() throws Exception {
        for (int i = 0; i < 3; i++) {
            f.post("/api/v1/tasks", f.operatorToken, "{\"team\":\"stats\",\"taskType\":\"noop\",\"payload\":{}}");
        }
        f.sql("INSERT INTO run (team, task_type, state, scheduled_at) VALUES ('stats', 'noop', 'SUCCEEDED',"
                + " now() - interval '3 hours')");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode stats = f.get("/api/v1/stats/fires?minutes=60", f.viewerToken).body();
            long fires = 0;
            long started = 0;
            for (JsonNode b : stats.get("buckets")) {
                fires += b.get("fires").asLong();
                started += b.get("started").asLong();
            }
            assertThat(fires).as("the run 3 hours ago is outside the window").isGreaterThanOrEqualTo(3);
            assertThat(started).isGreaterThanOrEqualTo(3);
            JsonNode last = stats.get("buckets").get(stats.get("buckets").size() - 1);
            assertThat(last.get("p50LatenessMs").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(last.get("p99LatenessMs").asDouble()).isGreaterThanOrEqualTo(last.get("p50LatenessMs").asDouble());
        });
        JsonNode teamOnly = f.get("/api/v1/stats/fires?minutes=240", f.alphaOperatorToken).body();
        assertThat(teamOnly.get("buckets")).as("team alpha has no runs").isEmpty();
        JsonNode wide = f.get("/api/v1/stats/fires?minutes=240", f.viewerToken).body();
        long inFourHours = 0;
        for (JsonNode b : wide.get("buckets")) {
            inFourHours += b.get("fires").asLong();
        }
        long inOneHour = 0;
        for (JsonNode b : f.get("/api/v1/stats/fires", f.viewerToken).body().get("buckets")) {
            inOneHour += b.get("fires").asLong();
        }
        assertThat(inFourHours).isGreaterThan(inOneHour);
        Reply tooLong = f.get("/api/v1/stats/fires?minutes=1441", f.viewerToken);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().get("field").asText()).isEqualTo("minutes");
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
