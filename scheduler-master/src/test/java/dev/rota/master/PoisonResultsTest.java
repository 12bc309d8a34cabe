package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import dev.rota.db.ParkedMessages;
import dev.rota.db.RunView;
import dev.rota.db.TaskSubmission;
import dev.rota.messaging.AmqpConnections;
import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.RunState;
import dev.rota.model.TaskMessage;
import dev.rota.testsupport.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One bad message on the results queue never stalls the others: text PostgreSQL cannot store is
 * cleaned, a result PostgreSQL refuses is found by splitting the batch and parked, malformed messages
 * are parked with their reason, and everything else is applied and acked.
 */
class PoisonResultsTest {
    private final MessageCodec codec = new MessageCodec();
    private ClusterFixture cluster;

    @BeforeEach
    void setUp() {
        cluster = new ClusterFixture();
        cluster.taskTypes.add("poisoned");
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private Master leader() {
        Master m = cluster.startMaster("m1");
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        return m;
    }

    private ResultMessage result(TaskMessage task, ResultStatus status, String error) {
        return ResultMessage.of(task, "fw", status, Instant.now(), error, null);
    }

    @Test
    void aNulResultAPoisonRowAndMalformedMessagesAreSetAsideAndTheRestApplied() throws Exception {
        Master m = leader();
        List<TaskMessage> tasks = new ArrayList<>();
        try (FakeWorker fake = new FakeWorker(m.config().cluster(), "poisoned", "fw")) {
            for (int i = 0; i < 6; i++) {
                m.database().runs().submit(TaskSubmission.of("poisoned", "{}", Instant.now()));
            }
            for (int i = 0; i < 6; i++) {
                tasks.add(fake.next().task());
            }
            tasks.sort(java.util.Comparator.comparingLong(TaskMessage::runId));
            // A row PostgreSQL itself refuses, whatever the leader cleans: only splitting the batch finds it.
            cluster.execute("CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.error LIKE '%poison-pill%' THEN RAISE EXCEPTION 'poison pill refused'; END IF;"
                    + " RETURN NEW; END $$");
            cluster.execute("CREATE TRIGGER poison BEFORE UPDATE ON run FOR EACH ROW EXECUTE FUNCTION poison()");
            ResultMessage wrongVersion = new ResultMessage(99, tasks.get(5).runId(), 1, "fw", ResultStatus.SUCCEEDED,
                    Instant.now(), null, null);
            List<byte[]> bodies = List.of(
                    codec.encode(result(tasks.get(0), ResultStatus.SUCCEEDED, null)),
                    codec.encode(result(tasks.get(1), ResultStatus.FAILED, "binary \u0000\u0000\u0000\u0001 from PHP")),
                    codec.encode(result(tasks.get(2), ResultStatus.FAILED, "poison-pill")),
                    utf8("{\"version\":1,\"runId\":\"abc\",\"attempt\":1,\"workerId\":\"fw\",\"status\":\"SUCCEEDED\"}"),
                    utf8("{\"version\":1,\"runId\":"),
                    new byte[0],
                    codec.encode(wrongVersion),
                    utf8("[" + codec.encodeToString(result(tasks.get(3), ResultStatus.SUCCEEDED, null))
                            + ",{\"version\":1,\"runId\":-1}]"),
                    codec.encode(result(tasks.get(4), ResultStatus.SUCCEEDED, null)),
                    codec.encode(result(tasks.get(5), ResultStatus.SUCCEEDED, null)));
            try (var connection = AmqpConnections.open(TestServers.amqpUri(), "poison-test")) {
                Channel channel = connection.createChannel();
                for (byte[] body : bodies) {
                    channel.basicPublish("", m.config().cluster().topology().resultsQueue(), null, body);
                }

                await().atMost(Duration.ofSeconds(20)).until(() -> state(m, tasks.get(5)) == RunState.SUCCEEDED
                        && state(m, tasks.get(0)) == RunState.SUCCEEDED && state(m, tasks.get(4)) == RunState.SUCCEEDED);
                assertThat(state(m, tasks.get(3))).isEqualTo(RunState.SUCCEEDED);
                RunView nul = m.database().runs().find(tasks.get(1).runId()).orElseThrow();
                assertThat(nul.state()).isEqualTo(RunState.FAILED);
                assertThat(nul.error()).isEqualTo("binary \uFFFD\uFFFD\uFFFD\u0001 from PHP");
                assertThat(state(m, tasks.get(2))).as("the poisoned run is left as it was").isEqualTo(RunState.QUEUED);

                List<ParkedMessages.Parked> parked = m.database().parked().recent(100);
                assertThat(parked).extracting(ParkedMessages.Parked::reason).anySatisfy(r ->
                        assertThat(r).contains("PostgreSQL refused result " + tasks.get(2).runId()).contains("poison pill"));
                assertThat(parked).extracting(ParkedMessages.Parked::reason)
                        .anySatisfy(r -> assertThat(r).contains("malformed").contains("runId"))
                        .anySatisfy(r -> assertThat(r).contains("malformed").contains("empty"))
                        .anySatisfy(r -> assertThat(r).contains("malformed").contains("unsupported version 99"))
                        .anySatisfy(r -> assertThat(r).contains("malformed").contains("runId must be positive"));
                assertThat(parked).hasSize(6);
                assertThat(parked).allSatisfy(p -> assertThat(p.source()).isEqualTo(
                        m.config().cluster().topology().resultsQueue()));
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        channel.queueDeclarePassive(m.config().cluster().topology().resultsQueue()).getMessageCount() == 0);
            }
        }
    }

    private static RunState state(Master m, TaskMessage task) {
        return m.database().runs().find(task.runId()).orElseThrow().state();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
