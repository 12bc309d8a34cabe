package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.AlertDelivery;
import dev.rota.db.AlertKind;
import dev.rota.db.AlertRule;
import dev.rota.db.AlertRuleSpec;
import dev.rota.db.AuditEntry;
import dev.rota.db.JobDefinition;
import dev.rota.db.JobSpec;
import dev.rota.db.RotaDatabase;
import dev.rota.db.RunView;
import dev.rota.db.Runs;
import dev.rota.db.Schedules;
import dev.rota.master.AlertConfig;
import dev.rota.master.MasterEvent;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RetryPolicy;
import dev.rota.model.TaskMessage;
import dev.rota.testsupport.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The alert sender stepped by hand ({@link AlertSender#sendDue}) against real PostgreSQL and a local webhook
 * receiver: runs fail through the same result path as the leader's, and the receiver checks what arrives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertSenderTest {
    private static final String SECRET = "a-secret-of-at-least-16-chars";
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final AlertConfig CONFIG = AlertConfig.DEFAULTS.withPollInterval(Duration.ofMillis(50))
            .withRequestTimeout(Duration.ofSeconds(2))
            .withRetry(RetryPolicy.maxAttempts(4).backoff(Duration.ofMillis(300), 2.0));

    private final String schema = TestServers.uniqueName("alert").toLowerCase();
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private RotaDatabase db;
    private WebhookReceiver receiver;
    private long epoch;
    private AlertSender sender;

    @BeforeAll
    void createDatabase() {
        TestServers.Postgres pg = TestServers.postgres();
        db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema).build();
        db.migrate();
    }

    @AfterAll
    void dropDatabase() {
        db.close();
        TestServers.dropSchema(schema);
    }

    @BeforeEach
    void lead() throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("TRUNCATE alert_rule, alert_delivery, alert_attempt, run_attempt, run, job RESTART IDENTITY CASCADE");
        }
        events.clear();
        receiver = new WebhookReceiver();
        epoch = db.lease().acquire("master-a");
        // jitter 1.0: the delays are exactly 300 ms, then 600 ms
        sender = new AlertSender(db.alerts(), (n, lease) -> db.alerts().claimDue(epoch, n, lease), CONFIG, Clock.systemUTC(), () -> 1.0,
                (e, d) -> events.add(e + " " + d), "alert-test-http");
    }

    @AfterEach
    void stop() {
        sender.close();
        receiver.close();
    }

    private AlertRule rule(String team, String jobName, String path) {
        return db.alerts().createRule(new AlertRuleSpec(team, jobName, Set.of(AlertKind.RUN_FAILED, AlertKind.RUN_DEAD),
                receiver.url(path), SECRET, null, null), new AuditEntry("test", "alert.create", "alert-rule", team));
    }

    /** A fire of a job in {@code team}, started by a worker, then reported FAILED (and returned as such). */
    private RunView fail(String team, String name) {
        JobDefinition job = db.jobs().create(JobSpec.of(name, "0 * * * * ?", "report").withTeam(team));
        RunView run = fire(job);
        apply(run, ResultStatus.STARTED);
        return apply(run, ResultStatus.FAILED).run();
    }

    /** Fires the job once, now, as the leader does: records the fire ahead as the planner does, then claims it. */
    private RunView fire(JobDefinition job) {
        Instant at = db.runs().now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        try (var c = db.dataSource().getConnection();
                var st = c.prepareStatement("UPDATE job SET next_fire_at = ?::timestamptz WHERE id = ?")) {
            st.setString(1, at.toString());
            st.setLong(2, job.id());
            st.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        db.schedules().planDue(epoch, Duration.ZERO, 10, (cursor, now, horizon) -> cursor.jobId() == job.id()
                ? new Schedules.Decision(List.of(at), null, 0) : new Schedules.Decision(List.of(), cursor.nextFireAt(), 0));
        return db.runs().claimDue(epoch, 10).stream().filter(r -> Long.valueOf(job.id()).equals(r.jobId())).findFirst().orElseThrow();
    }

    private Runs.ResultOutcome apply(RunView run, ResultStatus status) {
        ResultMessage m = new ResultMessage(TaskMessage.CURRENT_VERSION, run.id(), 1, "worker-1", status, Instant.now(),
                status == ResultStatus.FAILED ? "disk full" : null, null);
        return db.runs().applyResults(epoch, List.of(m), GRACE).get(0);
    }

    private List<WebhookReceiver.Request> drain() {
        List<WebhookReceiver.Request> out = new ArrayList<>();
        receiver.requests.drainTo(out);
        return out;
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void aFailedRunIsPostedOnceSignedAndOnlyToItsTeamAndJob() throws Exception {
        rule("billing", null, "/team");
        rule("billing", "invoices", "/job");
        rule("search", null, "/other-team");
        rule("billing", "ledger", "/other-job");
        RunView run = fail("billing", "invoices");

        assertThat(sender.sendDue()).isEqualTo(2);
        WebhookReceiver.Request first = receiver.requests.poll(5, TimeUnit.SECONDS);
        WebhookReceiver.Request second = receiver.requests.poll(5, TimeUnit.SECONDS);
        assertThat(List.of(first.path(), second.path())).containsExactlyInAnyOrder("/team", "/job");
        for (WebhookReceiver.Request r : List.of(first, second)) {
            assertThat(r.header("X-Rota-Signature")).isEqualTo(hmac(SECRET, r.body()));
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.header("X-Rota-Attempt")).isEqualTo("1");
            assertThat(Long.parseLong(r.header("X-Rota-Timestamp"))).isCloseTo(Instant.now().getEpochSecond(),
                    org.assertj.core.data.Offset.offset(60L));
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertThat(body.get("kind").asText()).isEqualTo("RUN_FAILED");
            assertThat(body.get("runId").asLong()).isEqualTo(run.id());
            assertThat(body.get("jobName").asText()).isEqualTo("invoices");
            assertThat(body.get("error").asText()).isEqualTo("disk full");
            assertThat(body.get("deliveryId").asText()).isEqualTo(r.header("X-Rota-Delivery"));
        }
        assertThat(first.header("X-Rota-Delivery")).isNotEqualTo(second.header("X-Rota-Delivery"));

        assertThat(apply(run, ResultStatus.FAILED).kind()).as("the duplicate result").isNotEqualTo(Runs.ResultKind.APPLIED);
        assertThat(sender.sendDue()).isZero();
        assertThat(receiver.requests.poll(300, TimeUnit.MILLISECONDS)).as("nothing more arrives").isNull();
        assertThat(db.alerts().deliveries(null, null, 10)).extracting(AlertDelivery::status)
                .containsOnly(AlertDelivery.Status.DELIVERED).hasSize(2);
        assertThat(events).filteredOn(e -> e.startsWith(MasterEvent.ALERT_DELIVERED.name())).hasSize(2);
    }

    @Test
    void aReceiverThatFailsTwiceGetsThreeAttemptsSpacedByTheBackoff() throws Exception {
        rule("billing", null, "/flaky");
        receiver.answer("/flaky", 500, 503);
        fail("billing", "invoices");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            sender.sendDue();
            return db.alerts().deliveries(null, null, 1).get(0).status() == AlertDelivery.Status.DELIVERED;
        });

        List<WebhookReceiver.Request> got = drain();
        assertThat(got).extracting(r -> r.header("X-Rota-Attempt")).containsExactly("1", "2", "3");
        assertThat(got).extracting(r -> r.header("X-Rota-Delivery")).containsOnly(got.get(0).header("X-Rota-Delivery"));
        for (WebhookReceiver.Request r : got) {
            assertThat(r.header("X-Rota-Signature")).isEqualTo(hmac(SECRET, r.body()));
        }
        AlertDelivery d = db.alerts().deliveries(null, null, 1).get(0);
        assertThat(d.attempts()).isEqualTo(3);
        assertThat(d.lastStatus()).isEqualTo(200);
        List<AlertDelivery.Attempt> log = d.attemptLog();
        assertThat(log).extracting(AlertDelivery.Attempt::httpStatus).containsExactly(500, 503, 200);
        assertThat(Duration.between(log.get(0).finishedAt(), log.get(1).startedAt())).isGreaterThanOrEqualTo(
                Duration.ofMillis(300));
        assertThat(Duration.between(log.get(1).finishedAt(), log.get(2).startedAt())).isGreaterThanOrEqualTo(
                Duration.ofMillis(600));
        assertThat(events).filteredOn(e -> e.startsWith(MasterEvent.ALERT_FAILED.name())).hasSize(2)
                .allMatch(e -> e.contains("retry in"));
    }

    @Test
    void aReceiverThatNeverAcceptsIsGivenUpAfterTheLastAttempt() throws Exception {
        rule("billing", null, "/down");
        receiver.answer("/down", 500, 500, 500, 500, 500);
        fail("billing", "invoices");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            sender.sendDue();
            return db.alerts().deliveries(null, null, 1).get(0).status() == AlertDelivery.Status.FAILED;
        });

        AlertDelivery d = db.alerts().deliveries(null, null, 1).get(0);
        assertThat(d.attempts()).isEqualTo(CONFIG.retry().maxAttempts());
        assertThat(d.lastError()).isEqualTo("HTTP 500");
        assertThat(drain()).hasSize(CONFIG.retry().maxAttempts());
        assertThat(events).anyMatch(e -> e.startsWith(MasterEvent.ALERT_FAILED.name()) && e.endsWith("giving up"));
    }
}
