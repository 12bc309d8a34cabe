package dev.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rota.http.ApiFixture.Reply;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alert rules through the API, and alerts end to end: a whole cluster runs a task that fails, and the leader
 * POSTs the alert to a local webhook receiver, signed, once, to the failing run's team only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiAlertsTest {
    private static final String SECRET = "alpha-webhook-secret-0123";

    record Received(String path, String signature, String delivery, byte[] body) {
    }

    ApiFixture f;
    HttpServer receiver;
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @BeforeAll
    void start() throws Exception {
        f = new ApiFixture();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            received.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("X-Rota-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Rota-Delivery"), body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    void stop() throws Exception {
        receiver.stop(0);
        f.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void rulesAreCheckedAndAuthorizedPerTeam() throws Exception {
        Reply badKind = f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"team\":\"alpha\",\"kinds\":[\"RUN_EXPLODED\"],\"url\":\"" + url("/x") + "\"}");
        assertThat(badKind.status()).isEqualTo(400);
        assertThat(badKind.body().get("field").asText()).isEqualTo("kinds");
        Reply badUrl = f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"team\":\"alpha\",\"kinds\":[\"RUN_DEAD\"],\"url\":\"ftp://example.org/x\"}");
        assertThat(badUrl.body().get("field").asText()).isEqualTo("url");
        Reply noThreshold = f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"team\":\"alpha\",\"kinds\":[\"FIRE_LATE\"],\"url\":\"" + url("/x") + "\"}");
        assertThat(noThreshold.body().get("field").asText()).isEqualTo("lateAfter");
        Reply shortSecret = f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"team\":\"alpha\",\"kinds\":[\"RUN_DEAD\"],\"url\":\"" + url("/x") + "\",\"secret\":\"short\"}");
        assertThat(shortSecret.body().get("field").asText()).isEqualTo("secret");
        assertThat(shortSecret.body().get("detail").asText()).contains("16", "200");

        assertThat(f.post("/api/v1/alerts/rules", f.alphaOperatorToken,
                "{\"team\":\"alpha\",\"kinds\":[\"RUN_DEAD\"],\"url\":\"" + url("/x") + "\"}").status())
                .as("an operator").isEqualTo(403);
        assertThat(f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"team\":\"beta\",\"kinds\":[\"RUN_DEAD\"],\"url\":\"" + url("/x") + "\"}").status())
                .as("another team").isEqualTo(403);
        assertThat(f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"kinds\":[\"RUN_DEAD\"],\"url\":\"" + url("/x") + "\"}").status()).as("every team").isEqualTo(403);

        Reply made = f.post("/api/v1/alerts/rules", f.alphaAdminToken,
                "{\"team\":\"alpha\",\"jobName\":\"nightly\",\"kinds\":[\"FIRE_LATE\",\"RUN_DEAD\"],\"url\":\""
                        + url("/made") + "\",\"lateAfter\":\"PT5M\"}");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.body().get("secret").asText()).hasSize(64);
        long id = made.body().get("rule").get("id").asLong();
        assertThat(made.body().get("rule").get("lateAfter").asText()).isEqualTo("PT5M");

        Reply listed = f.get("/api/v1/alerts/rules?team=alpha", f.alphaOperatorToken);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.text()).contains("\"id\":" + id).doesNotContain(made.body().get("secret").asText());
        assertThat(f.get("/api/v1/alerts/rules?team=beta", f.alphaOperatorToken).status()).isEqualTo(403);

        assertThat(f.call("DELETE", "/api/v1/alerts/rules/" + id, f.alphaOperatorToken, null).status()).isEqualTo(403);
        Reply deleted = f.call("DELETE", "/api/v1/alerts/rules/" + id, f.alphaAdminToken, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(f.count("SELECT count(*) FROM audit_event WHERE actor = 'alpha-admin' AND action IN"
                + " ('alert.create', 'alert.delete') AND team = 'alpha'")).isEqualTo(2);
        assertThat(f.call("DELETE", "/api/v1/alerts/rules/" + id, f.alphaAdminToken, null).status()).isEqualTo(404);
    }

    @Test
    void aFailedRunIsPostedOnceSignedToItsTeamOnly() throws Exception {
        Reply alpha = f.post("/api/v1/alerts/rules", f.alphaAdminToken, "{\"team\":\"alpha\",\"kinds\":[\"RUN_FAILED\"],"
                + "\"url\":\"" + url("/alpha") + "\",\"secret\":\"" + SECRET + "\"}");
        assertThat(alpha.status()).as(alpha.text()).isEqualTo(201);
        Reply beta = f.post("/api/v1/alerts/rules", f.adminToken, "{\"team\":\"beta\",\"kinds\":[\"RUN_FAILED\"],"
                + "\"url\":\"" + url("/beta") + "\"}");
        assertThat(beta.status()).as(beta.text()).isEqualTo(201);

        Reply task = f.post("/api/v1/tasks", f.operatorToken,
                "{\"team\":\"alpha\",\"taskType\":\"fail\",\"payload\":{\"message\":\"boom\"}}");
        assertThat(task.status()).as(task.text()).isEqualTo(201);
        long runId = task.body().get("id").asLong();

        Received r = received.poll(30, TimeUnit.SECONDS);
        assertThat(r).as("the alert arrives").isNotNull();
        assertThat(r.path()).isEqualTo("/alpha");
        assertThat(r.signature()).isEqualTo(hmac(r.body()));
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("kind").asText()).isEqualTo("RUN_FAILED");
        assertThat(body.get("runId").asLong()).isEqualTo(runId);
        assertThat(body.get("team").asText()).isEqualTo("alpha");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Reply d = f.get("/api/v1/alerts/deliveries?ruleId=" + alpha.body().get("rule").get("id").asLong(),
                    f.alphaAdminToken);
            assertThat(d.body()).hasSize(1);
            assertThat(d.body().get(0).get("status").asText()).isEqualTo("DELIVERED");
            assertThat(d.body().get(0).get("attemptLog").get(0).get("httpStatus").asInt()).isEqualTo(204);
        });
        assertThat(received.poll(2, TimeUnit.SECONDS)).as("exactly one alert, and none for beta").isNull();
        assertThat(f.get("/api/v1/alerts/deliveries", f.alphaAdminToken).body()).hasSize(1);
    }
}
