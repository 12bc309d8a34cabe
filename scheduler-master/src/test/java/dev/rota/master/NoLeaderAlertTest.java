package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rota.db.AlertKind;
import dev.rota.db.AlertRuleSpec;
import dev.rota.db.AuditEntry;
import dev.rota.master.internal.WebhookReceiver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NO_LEADER end to end: while a master leads, nothing is sent; when ZooKeeper goes away nobody can lead, and the
 * master that is left (no longer leading) notices the gap in the database and sends one signed alert for it.
 */
class NoLeaderAlertTest {
    private static final String SECRET = "no-leader-secret-0123456789";
    private static final Duration THRESHOLD = Duration.ofSeconds(2);

    private ClusterFixture f;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        f = new ClusterFixture();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() throws Exception {
        receiver.close();
        f.close();
    }

    @Test
    void aClusterWithoutLeaderForLongerThanTheThresholdAlertsOnce() throws Exception {
        Master m1 = f.masterBuilder("m1").alerts(AlertConfig.DEFAULTS.withPollInterval(Duration.ofMillis(100))
                .withLeaderless(Duration.ofMillis(200), Duration.ofMillis(200))).build();
        f.masters.add(m1);
        m1.start();
        await().atMost(Duration.ofSeconds(20)).until(m1::isLeader);
        m1.database().alerts().createRule(new AlertRuleSpec(null, null, Set.of(AlertKind.NO_LEADER),
                receiver.url("/ops"), SECRET, null, THRESHOLD), new AuditEntry("test", "alert.create", "alert-rule", null));

        assertThat(receiver.requests.poll(THRESHOLD.toMillis() + 1_000, TimeUnit.MILLISECONDS))
                .as("a leader is beating: no alert").isNull();

        f.zk.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> !m1.isLeader());
        WebhookReceiver.Request r = receiver.requests.poll(20, TimeUnit.SECONDS);

        assertThat(r).as("the gap is alerted").isNotNull();
        assertThat(r.header("X-Rota-Signature")).isEqualTo(WebhookSignature.sign(SECRET, r.body()));
        JsonNode body = new ObjectMapper().readTree(r.body());
        assertThat(body.get("kind").asText()).isEqualTo("NO_LEADER");
        assertThat(body.get("lastLeaderId").asText()).isEqualTo("m1");
        assertThat(body.get("leaderlessForMs").asLong()).isGreaterThan(THRESHOLD.toMillis());
        assertThat(receiver.requests.poll(2, TimeUnit.SECONDS)).as("one alert per gap").isNull();
        assertThat(f.count(MasterEvent.LEADERLESS_NOTICED)).isEqualTo(1);
    }
}
