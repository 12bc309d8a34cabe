package dev.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.http.ApiFixture.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiJobsTest {
    ApiFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new ApiFixture();
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    private static String job(String team, String name) {
        return "{\"team\":\"" + team + "\",\"name\":\"" + name + "\",\"cron\":\"0 0 12 * * ?\",\"taskType\":\"noop\","
                + "\"enabled\":false,\"payload\":{\"n\":1},\"timeZone\":\"Europe/Paris\",\"timeout\":\"PT30S\","
                + "\"startingDeadline\":\"PT45S\"}";
    }

    private long create(String team, String name) throws Exception {
        Reply r = f.post("/api/v1/jobs", f.adminToken, job(team, name));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    @Test
    void anAdminAddsAJobAndTheAuditLogSaysWhoWithTheRowAfter() throws Exception {
        Reply r = f.post("/api/v1/jobs", f.adminToken, job("beta", "created"));

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.body().get("name").asText()).isEqualTo("created");
        assertThat(r.body().get("payload").get("n").asInt()).isEqualTo(1);
        assertThat(r.body().get("timeout").asText()).isEqualTo("PT30S");
        assertThat(r.body().get("startingDeadline").asText()).isEqualTo("PT45S");
        assertThat(f.count("SELECT count(*) FROM job WHERE name = 'created' AND starting_deadline_ms = 45000"))
                .as("the starting deadline is stored, so the leader skips a fire not started in 45 s").isEqualTo(1);
        assertThat(r.header("ETag")).isEqualTo("\"" + r.body().get("version").asLong() + "\"");
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE actor = 'root' AND action = 'job.create'"
                + " AND target = 'job:beta/created' AND before IS NULL AND after->>'cron' = '0 0 12 * * ?'")).isEqualTo(1);
    }

    @Test
    void theFailingFilterListsJobsWhoseLatestFinishedRunFailed() throws Exception {
        long failing = create("gamma", "nightly-failing");
        long recovered = create("gamma", "nightly-recovered");
        f.sql("INSERT INTO run (job_id, job_name, team, task_type, state, scheduled_at) VALUES"
                + " (" + failing + ", 'nightly-failing', 'gamma', 'noop', 'SUCCEEDED', now() - interval '2 hours'),"
                + " (" + failing + ", 'nightly-failing', 'gamma', 'noop', 'DEAD', now() - interval '1 hour'),"
                + " (" + recovered + ", 'nightly-recovered', 'gamma', 'noop', 'FAILED', now() - interval '2 hours'),"
                + " (" + recovered + ", 'nightly-recovered', 'gamma', 'noop', 'SUCCEEDED', now() - interval '1 hour')");

        assertThat(names(f.get("/api/v1/jobs?team=gamma&failing=true", f.viewerToken).body()))
                .containsExactly("nightly-failing");
        assertThat(names(f.get("/api/v1/jobs?team=gamma&failing=false", f.viewerToken).body()))
                .containsExactly("nightly-recovered");
        assertThat(f.get("/api/v1/jobs?failing=maybe", f.viewerToken).body().get("field").asText()).isEqualTo("failing");
    }

    @Test
    void aJobsStatsSayHowLateItsLastRunsStartedAndWhySomeWereSkipped() throws Exception {
        long id = create("beta", "why-not");
        String run = "(" + id + ", 'why-not', 'beta', 'noop', ";
        f.sql("INSERT INTO run (job_id, job_name, team, task_type, state, scheduled_at, started_at, error) VALUES"
                // outside a window of 7: the oldest, and the latest start of all
                + run + "'SUCCEEDED', now() - interval '100 hours', now() - interval '100 hours' + interval '50 seconds', null),"
                + run + "'SUCCEEDED', now() - interval '9 hours', now() - interval '9 hours' + interval '100 milliseconds', null),"
                + run + "'FAILED', now() - interval '8 hours', now() - interval '8 hours' + interval '200 milliseconds', 'boom'),"
                + run + "'SUCCEEDED', now() - interval '7 hours', now() - interval '7 hours' + interval '300 milliseconds', null),"
                + run + "'SUCCEEDED', now() - interval '6 hours', now() - interval '6 hours' + interval '1000 milliseconds', null),"
                + run + "'SKIPPED', now() - interval '5 hours', null, 'skipped by concurrency policy FORBID: run 1 is still RUNNING'),"
                + run + "'SKIPPED', now() - interval '4 hours', null, 'skipped: not started by its starting deadline"
                + " 2026-01-01T00:00:45Z (due 2026-01-01T00:00:00Z + PT45S); the leader still had it SCHEDULED'),"
                + run + "'SKIPPED', now() - interval '3 hours', null, 'skipped by concurrency policy FORBID: run 7 is still QUEUED'),"
                // not yet due: not in the window
                + run + "'SCHEDULED', now() + interval '1 hour', null, null)");

        Reply all = f.get("/api/v1/jobs/" + id + "/stats", f.viewerToken);
        assertThat(all.status()).as(all.text()).isEqualTo(200);
        assertThat(all.body().get("runs").asLong()).isEqualTo(8);
        assertThat(all.body().get("maxLatenessMs").asDouble()).isEqualTo(50_000.0);

        JsonNode last7 = f.get("/api/v1/jobs/" + id + "/stats?runs=7", f.viewerToken).body();
        assertThat(last7.get("jobId").asLong()).isEqualTo(id);
        assertThat(last7.get("runs").asLong()).isEqualTo(7);
        assertThat(last7.get("started").asLong()).isEqualTo(4);
        assertThat(last7.get("skipped").asLong()).isEqualTo(3);
        // 100, 200, 300 and 1000 ms: the continuous median and 99th percentile, as PostgreSQL's percentile_cont
        assertThat(last7.get("p50LatenessMs").asDouble()).isEqualTo(250.0);
        assertThat(last7.get("p99LatenessMs").asDouble()).isCloseTo(979.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(last7.get("maxLatenessMs").asDouble()).isEqualTo(1000.0);
        JsonNode skips = last7.get("skips");
        assertThat(skips).hasSize(2);
        assertThat(skips.get(0).get("reason").asText()).isEqualTo("concurrency policy FORBID");
        assertThat(skips.get(0).get("count").asLong()).isEqualTo(2);
        assertThat(skips.get(0).get("example").asText()).isEqualTo("skipped by concurrency policy FORBID: run 7 is still QUEUED");
        assertThat(skips.get(1).get("reason").asText()).isEqualTo("starting deadline passed");
        assertThat(skips.get(1).get("count").asLong()).isEqualTo(1);

        assertThat(f.get("/api/v1/jobs/" + id + "/stats", f.alphaOperatorToken).status())
                .as("a job of another team is absent").isEqualTo(404);
        assertThat(f.get("/api/v1/jobs/" + id + "/stats", f.workerToken).status()).isEqualTo(403);
        Reply bad = f.get("/api/v1/jobs/" + id + "/stats?runs=10001", f.viewerToken);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("field").asText()).isEqualTo("runs");
        assertThat(bad.body().get("detail").asText()).contains("10000");
    }

    private static List<String> names(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(j -> out.add(j.get("name").asText()));
        return out;
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndTheLimit() throws Exception {
        Reply cron = f.post("/api/v1/jobs", f.adminToken, job("beta", "bad").replace("0 0 12 * * ?", "61 * * * * ?"));
        assertThat(cron.status()).isEqualTo(400);
        assertThat(cron.header("Content-Type")).startsWith("application/problem+json");
        assertThat(cron.body().get("field").asText()).isEqualTo("cron");

        Reply zone = f.post("/api/v1/jobs", f.adminToken, job("beta", "bad").replace("Europe/Paris", "Mars/Base"));
        assertThat(zone.body().get("field").asText()).isEqualTo("timeZone");

        String big = "{\"team\":\"beta\",\"name\":\"big\",\"cron\":\"0 0 12 * * ?\",\"taskType\":\"noop\","
                + "\"payload\":{\"s\":\"" + "x".repeat(300_000) + "\"}}";
        Reply payload = f.post("/api/v1/jobs", f.adminToken, big);
        assertThat(payload.status()).isEqualTo(400);
        assertThat(payload.body().get("field").asText()).isEqualTo("payload");
        assertThat(payload.body().get("detail").asText()).contains("262144");

        Reply type = f.post("/api/v1/jobs", f.adminToken, job("beta", "bad").replace("\"PT30S\"", "\"soon\""));
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.body().get("field").asText()).isEqualTo("timeout");

        Reply limit = f.get("/api/v1/jobs?limit=501", f.viewerToken);
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.body().get("detail").asText()).contains("500");
    }

    @Test
    void listsAreFilteredAndPagedWithCursors() throws Exception {
        for (int i = 0; i < 7; i++) {
            create("paged", "p" + i);
        }
        create("paged", "other");
        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply r = f.get("/api/v1/jobs?team=paged&q=P&limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    f.viewerToken);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            r.body().get("items").forEach(j -> names.add(j.get("name").asText()));
            cursor = r.body().get("next").isNull() ? null : r.body().get("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(names).containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
        assertThat(pages).isEqualTo(3);
        assertThat(f.get("/api/v1/jobs?cursor=garbage", f.viewerToken).body().get("field").asText()).isEqualTo("cursor");
    }

    @Test
    void aChangeNeedsTheCurrentETagWhenItGivesOne() throws Exception {
        long id = create("beta", "versioned");
        Reply read = f.get("/api/v1/jobs/" + id, f.viewerToken);
        String etag = read.header("ETag");

        Reply changed = f.call("PUT", "/api/v1/jobs/" + id, f.adminToken,
                job("beta", "versioned").replace("0 0 12", "0 0 13"), "If-Match", etag);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.body().get("cron").asText()).isEqualTo("0 0 13 * * ?");
        assertThat(changed.header("ETag")).isNotEqualTo(etag);

        Reply stale = f.call("PUT", "/api/v1/jobs/" + id, f.adminToken, job("beta", "versioned"), "If-Match", etag);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.body().get("currentVersion").asLong()).isEqualTo(changed.body().get("version").asLong());
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE action = 'job.update' AND target = 'job:beta/versioned'"
                + " AND before->>'cron' = '0 0 12 * * ?' AND after->>'cron' = '0 0 13 * * ?'")).isEqualTo(1);
    }

    @Test
    void pauseResumeTriggerPreviewAndDelete() throws Exception {
        long id = create("beta", "lifecycle");
        Reply resumed = f.post("/api/v1/jobs/" + id + "/resume", f.operatorToken, null);
        assertThat(resumed.body().get("enabled").asBoolean()).isTrue();
        Reply paused = f.post("/api/v1/jobs/" + id + "/pause", f.operatorToken, null);
        assertThat(paused.body().get("enabled").asBoolean()).isFalse();

        Reply preview = f.get("/api/v1/jobs/" + id + "/preview?count=3", f.viewerToken);
        assertThat(preview.body().get("timeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(preview.body().get("times")).hasSize(3);
        assertThat(preview.body().get("times").get(0).asText()).contains("T12:00:00+0");
        assertThat(f.get("/api/v1/schedule-preview?cron=0+0+12+*+*+%3F&count=101", f.viewerToken).body()
                .get("field").asText()).isEqualTo("count");

        Reply triggered = f.post("/api/v1/jobs/" + id + "/trigger", f.operatorToken, null);
        assertThat(triggered.status()).as(triggered.text()).isEqualTo(201);
        long runId = triggered.body().get("id").asLong();
        assertThat(triggered.body().get("jobId").asLong()).isEqualTo(id);
        JsonNode detail = f.get("/api/v1/runs/" + runId, f.viewerToken).body();
        assertThat(detail.get("triggeredBy").asText()).isEqualTo("ops");
        assertThat(detail.get("timeline").get(0).get("what").asText()).isEqualTo("triggered");

        Reply deleted = f.call("DELETE", "/api/v1/jobs/" + id, f.adminToken, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(f.get("/api/v1/jobs/" + id, f.viewerToken).status()).isEqualTo(404);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE target = 'job:beta/lifecycle' AND actor = 'ops'"
                + " AND action IN ('job.pause', 'job.resume', 'job.trigger')")).isEqualTo(3);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE target = 'job:beta/lifecycle'"
                + " AND action = 'job.delete' AND after IS NULL AND before IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void eachRoleIsRefusedWhereItMustBe() throws Exception {
        long id = create("beta", "guarded");
        long alphaId = create("alpha", "mine");
        String body = job("beta", "guarded2");

        assertThat(f.post("/api/v1/jobs", f.viewerToken, body).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/jobs", f.operatorToken, body).status()).isEqualTo(403);
        assertThat(f.call("PUT", "/api/v1/jobs/" + id, f.operatorToken, body).status()).isEqualTo(403);
        assertThat(f.call("DELETE", "/api/v1/jobs/" + id, f.operatorToken, null).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/jobs/" + id + "/pause", f.viewerToken, null).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/jobs/" + id + "/trigger", f.viewerToken, null).status()).isEqualTo(403);

        // a team's token neither sees nor touches another team's job, nor creates jobs there
        assertThat(f.get("/api/v1/jobs/" + id, f.alphaOperatorToken).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/jobs/" + id + "/pause", f.alphaOperatorToken, null).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/jobs", f.alphaAdminToken, body).status()).isEqualTo(403);
        assertThat(f.get("/api/v1/jobs?team=beta", f.alphaOperatorToken).status()).isEqualTo(403);
        Reply own = f.get("/api/v1/jobs", f.alphaOperatorToken);
        assertThat(own.body().get("items")).allSatisfy(j -> assertThat(j.get("team").asText()).isEqualTo("alpha"));
        assertThat(f.post("/api/v1/jobs/" + alphaId + "/pause", f.alphaOperatorToken, null).status()).isEqualTo(200);

        assertThat(f.get("/api/v1/jobs", null).status()).isEqualTo(401);
        assertThat(f.get("/api/v1/jobs", "rota_1_AAAA").status()).isEqualTo(401);
        assertThat(f.get("/api/v1/jobs", f.viewerToken.substring(0, f.viewerToken.length() - 2) + "AA").status())
                .isEqualTo(401);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE target = 'job:beta/guarded2'")).isZero();
    }
}
