package dev.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.http.ApiFixture.Reply;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRunsTest {
    ApiFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new ApiFixture();
    }

    @AfterAll
    void stop() throws Exception {
        f.close();
    }

    private long submit(String token, String team, String taskType, String payload, Instant runAt) throws Exception {
        Reply r = f.post("/api/v1/tasks", token, "{\"team\":\"" + team + "\",\"taskType\":\"" + taskType
                + "\",\"payload\":" + payload + (runAt == null ? "" : ",\"runAt\":\"" + runAt + "\"") + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.body().get("id").asLong();
    }

    private JsonNode awaitState(long runId, String state) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            last[0] = f.get("/api/v1/runs/" + runId, f.viewerToken).body();
            assertThat(last[0].get("run").get("state").asText()).isEqualTo(state);
        });
        return last[0];
    }

    @Test
    void whatTheHandlerLoggedIsServedWithItsAttempt() throws Exception {
        long id = submit(f.operatorToken, "beta", "log", "{\"message\":\"copied 12 rows\"}", null);

        JsonNode detail = awaitState(id, "SUCCEEDED");

        JsonNode attempt = detail.get("attempts").get(0);
        assertThat(attempt.get("log").asText()).matches("\\S+Z copied 12 rows\n");
        long noop = submit(f.operatorToken, "beta", "noop", "{}", null);
        assertThat(awaitState(noop, "SUCCEEDED").get("attempts").get(0).get("log").isNull())
                .as("a handler that wrote nothing has no log").isTrue();
    }

    @Test
    void aSubmittedTaskRunsAndItsDetailShowsAttemptsAndTimeline() throws Exception {
        long id = submit(f.operatorToken, "beta", "fail", "{\"message\":\"boom\"}", null);

        JsonNode detail = awaitState(id, "FAILED");

        assertThat(detail.get("attempts")).hasSize(1);
        assertThat(detail.get("attempts").get(0).get("outcome").asText()).isEqualTo("FAILED");
        assertThat(detail.get("attempts").get(0).get("workerId").asText()).isEqualTo("w1");
        List<String> steps = new ArrayList<>();
        detail.get("timeline").forEach(s -> steps.add(s.get("what").asText()));
        assertThat(steps).startsWith("scheduled", "dispatched").contains("started").endsWith("failed");

        Reply rerun = f.post("/api/v1/runs/" + id + "/rerun", f.operatorToken, null);
        assertThat(rerun.status()).as(rerun.text()).isEqualTo(200);
        assertThat(awaitState(id, "FAILED").get("attempts")).hasSize(2);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE action = 'run.rerun' AND target = 'run:" + id
                + "' AND before->>'state' = 'FAILED' AND after->>'state' = 'SCHEDULED'")).isEqualTo(1);

        Reply again = f.post("/api/v1/runs/" + awaitState(id, "FAILED").get("run").get("id").asLong() + "/cancel",
                f.operatorToken, null);
        assertThat(again.status()).isEqualTo(409);
    }

    @Test
    void anIdempotencyKeyMakesARetriedWriteAnswerTheFirstResponse() throws Exception {
        String body = "{\"team\":\"beta\",\"taskType\":\"noop\",\"runAt\":\"" + Instant.now().plusSeconds(3600) + "\"}";
        Reply first = f.post("/api/v1/tasks", f.operatorToken, body, "Idempotency-Key", "k-1");
        Reply second = f.post("/api/v1/tasks", f.operatorToken, body, "Idempotency-Key", "k-1");
        Reply other = f.post("/api/v1/tasks", f.operatorToken, body.replace("noop", "log"), "Idempotency-Key", "k-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.body().get("id").asLong()).isEqualTo(first.body().get("id").asLong());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(f.count("SELECT count(*) FROM run WHERE idempotency_key = 'k-1'")).isEqualTo(1);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE action = 'task.submit' AND target = 'run:"
                + first.body().get("id").asLong() + "'")).isEqualTo(1);
    }

    @Test
    void aTaskSubmittedWithinATraceKeepsItAndAMalformedTraceIsIgnored() throws Exception {
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String body = "{\"team\":\"beta\",\"taskType\":\"noop\",\"runAt\":\"" + Instant.now().plusSeconds(3600) + "\"}";
        Reply traced = f.post("/api/v1/tasks", f.operatorToken, body, "traceparent", trace);
        Reply malformed = f.post("/api/v1/tasks", f.operatorToken, body, "traceparent", "00-not-a-trace");

        assertThat(traced.status()).as(traced.text()).isEqualTo(201);
        assertThat(traced.body().get("traceparent").asText()).isEqualTo(trace);
        assertThat(f.count("SELECT count(*) FROM run WHERE id = " + traced.body().get("id").asLong()
                + " AND traceparent = '" + trace + "'")).isEqualTo(1);
        assertThat(malformed.status()).as("W3C: a receiver ignores a malformed traceparent").isEqualTo(201);
        assertThat(malformed.body().get("traceparent").isNull()).isTrue();
    }

    @Test
    void runsAreFilteredAndPagedAndBulkActionsCountFirst() throws Exception {
        Instant later = Instant.now().plusSeconds(7200);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(f.operatorToken, "gamma", "sleep", "{}", later.plusSeconds(i)));
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        do {
            Reply r = f.get("/api/v1/runs?team=gamma&state=scheduled&taskType=sleep&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), f.viewerToken);
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            r.body().get("items").forEach(run -> seen.add(run.get("id").asLong()));
            cursor = r.body().get("next").isNull() ? null : r.body().get("next").asText();
        } while (cursor != null);
        assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(f.get("/api/v1/runs?team=gamma&from=" + later.plusSeconds(3) + "&to=" + later.plusSeconds(10),
                f.viewerToken).body().get("items")).hasSize(2);
        assertThat(f.get("/api/v1/runs?state=LOST", f.viewerToken).body().get("field").asText()).isEqualTo("state");

        Reply dry = f.post("/api/v1/runs/bulk-cancel?team=gamma", f.operatorToken, null);
        assertThat(dry.body().get("matched").asLong()).isEqualTo(5);
        assertThat(dry.body().get("dryRun").asBoolean()).isTrue();
        assertThat(f.count("SELECT count(*) FROM run WHERE team = 'gamma' AND state = 'SCHEDULED'")).isEqualTo(5);
        assertThat(f.post("/api/v1/runs/bulk-cancel?team=gamma&dryRun=false", f.viewerToken, null).status())
                .isEqualTo(403);

        Reply done = f.post("/api/v1/runs/bulk-cancel?team=gamma&dryRun=false", f.operatorToken, null);
        assertThat(done.status()).as(done.text()).isEqualTo(200);
        assertThat(done.body().get("changed")).hasSize(5);
        assertThat(f.count("SELECT count(*) FROM run WHERE team = 'gamma' AND state = 'CANCELLED'")).isEqualTo(5);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE action = 'run.cancel' AND team = 'gamma'"))
                .isEqualTo(5);

        Reply rerunDry = f.post("/api/v1/runs/bulk-rerun?team=gamma&state=CANCELLED", f.operatorToken, null);
        assertThat(rerunDry.body().get("matched").asLong()).isEqualTo(5);
    }

    @Test
    void aTeamTokenSeesAndActsOnItsOwnRunsOnly() throws Exception {
        long beta = submit(f.operatorToken, "beta", "noop", "{}", Instant.now().plusSeconds(3600));
        assertThat(f.post("/api/v1/tasks", f.alphaOperatorToken, "{\"team\":\"beta\",\"taskType\":\"noop\"}").status())
                .isEqualTo(403);
        assertThat(f.get("/api/v1/runs/" + beta, f.alphaOperatorToken).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/runs/" + beta + "/cancel", f.alphaOperatorToken, null).status()).isEqualTo(404);
        assertThat(f.post("/api/v1/runs/" + beta + "/cancel", f.viewerToken, null).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/runs/" + beta + "/rerun", f.viewerToken, null).status()).isEqualTo(403);
        assertThat(f.get("/api/v1/runs", f.alphaOperatorToken).body().get("items"))
                .allSatisfy(r -> assertThat(r.get("team").asText()).isEqualTo("alpha"));
        assertThat(f.post("/api/v1/runs/" + beta + "/cancel", f.operatorToken, null).status()).isEqualTo(200);
    }

    @Test
    void theEventStreamDeliversRunChangesWithinASecond() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(f.server.url() + "/api/v1/events?access_token="
                + f.viewerToken)).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> resp = f.http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("closed: " + e);
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> f.server.events().subscribers() > 0);

        Instant posted = Instant.now();
        long id = submit(f.operatorToken, "beta", "noop", "{}", Instant.now().plusSeconds(3600));
        String event = null;
        for (String line = lines.poll(5, TimeUnit.SECONDS); line != null; line = lines.poll(5, TimeUnit.SECONDS)) {
            if (line.startsWith("data:") && line.matches(".*\"id\":" + id + "[,}].*")) {
                event = line;
                break;
            }
        }
        Duration took = Duration.between(posted, Instant.now());
        assertThat(event).as("a run event for run %d", id).isNotNull();
        assertThat(event).contains("\"state\":\"SCHEDULED\"").contains("\"type\":\"run\"");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        resp.body().close();
    }
}
