package dev.rota.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final Instant SCHEDULED = Instant.parse("2024-03-10T09:00:00Z");
    private static final Instant DISPATCHED = Instant.parse("2024-03-10T09:00:00.250Z");

    private final MessageCodec codec = new MessageCodec();
    /** A plain mapper, standing in for a worker written in another language. */
    private final ObjectMapper plain = new ObjectMapper();

    private TaskMessage task() throws MalformedMessageException {
        return new TaskMessage(TaskMessage.CURRENT_VERSION, 42, 2, 7L, "nightly-report", "billing", "report",
                SCHEDULED, DISPATCHED, Duration.ofSeconds(90), codec.readTree("{\"day\":\"2024-03-09\",\"n\":3}"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void taskMessageUsesTheDocumentedFieldNames() throws Exception {
        JsonNode json = plain.readTree(codec.encode(task()));

        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("version", "runId", "attempt", "jobId", "jobName", "team",
                "taskType", "scheduledAt", "dispatchedAt", "timeout", "payload");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("runId").asLong()).isEqualTo(42);
        assertThat(json.get("attempt").asInt()).isEqualTo(2);
        assertThat(json.get("jobId").asLong()).isEqualTo(7);
        assertThat(json.get("jobName").asText()).isEqualTo("nightly-report");
        assertThat(json.get("team").asText()).isEqualTo("billing");
        assertThat(json.get("taskType").asText()).isEqualTo("report");
        assertThat(json.get("scheduledAt").isTextual()).isTrue();
        assertThat(json.get("scheduledAt").asText()).isEqualTo("2024-03-10T09:00:00Z");
        assertThat(json.get("dispatchedAt").asText()).isEqualTo("2024-03-10T09:00:00.250Z");
        assertThat(json.get("timeout").asText()).isEqualTo("PT1M30S");
        assertThat(json.get("payload").get("day").asText()).isEqualTo("2024-03-09");
        assertThat(json.get("payload").get("n").asInt()).isEqualTo(3);
    }

    @Test
    void taskMessageWireFormatIsExactlyTheDocumentedJson() throws Exception {
        assertThat(codec.encodeToString(task())).isEqualTo("{\"version\":1,\"runId\":42,\"attempt\":2,\"jobId\":7,"
                + "\"jobName\":\"nightly-report\",\"team\":\"billing\",\"taskType\":\"report\","
                + "\"scheduledAt\":\"2024-03-10T09:00:00Z\",\"dispatchedAt\":\"2024-03-10T09:00:00.250Z\","
                + "\"timeout\":\"PT1M30S\",\"payload\":{\"day\":\"2024-03-09\",\"n\":3}}");
    }

    @Test
    void oneOffTaskWithoutTimeoutWritesNulls() throws Exception {
        TaskMessage m = new TaskMessage(1, 5, 1, null, null, "default", "noop", SCHEDULED, DISPATCHED, null,
                codec.readTree("{}"));
        JsonNode json = plain.readTree(codec.encodeToString(m));
        assertThat(json.has("timeout")).isTrue();
        assertThat(json.get("timeout").isNull()).isTrue();
        assertThat(json.get("jobId").isNull()).isTrue();
        assertThat(json.get("jobName").isNull()).isTrue();
        assertThat(codec.decodeTask(codec.encode(m))).isEqualTo(m);
    }

    @Test
    void decodesATaskWrittenByHand() throws Exception {
        String json = """
                {"version":1,"runId":42,"attempt":2,"jobId":7,"jobName":"nightly-report","team":"billing",
                 "taskType":"report","scheduledAt":"2024-03-10T09:00:00Z","dispatchedAt":"2024-03-10T09:00:00.250Z",
                 "timeout":"PT1M30S","payload":{"day":"2024-03-09","n":3},"someFutureField":true}
                """;
        assertThat(codec.decodeTask(utf8(json))).isEqualTo(task());
    }

    @Test
    void taskRoundTrip() throws Exception {
        TaskMessage m = task();
        assertThat(codec.decodeTask(codec.encode(m))).isEqualTo(m);
        assertThat(m.idempotencyKey()).isEqualTo("42:2");
    }

    @Test
    void resultRoundTrip() throws Exception {
        TaskMessage task = task();
        ResultMessage ok = ResultMessage.of(task, "worker-1", ResultStatus.SUCCEEDED, DISPATCHED.plusSeconds(3), null,
                codec.readTree("{\"rows\":10}"));
        assertThat(ok.runId()).isEqualTo(42);
        assertThat(ok.attempt()).isEqualTo(2);
        assertThat(codec.decodeResult(codec.encode(ok))).isEqualTo(ok);

        ResultMessage failed = ResultMessage.of(task, "worker-1", ResultStatus.FAILED, DISPATCHED.plusSeconds(3),
                "boom", null);
        ResultMessage decoded = codec.decodeResult(codec.encode(failed));
        assertThat(decoded).isEqualTo(failed);
        assertThat(decoded.result()).isNull();
    }

    @Test
    void theOptionalFieldsAppearOnlyWhenSetAndOldReadersStillReadTheRest() throws Exception {
        TaskMessage t = task();
        TaskMessage withDeadline = new TaskMessage(t.version(), t.runId(), t.attempt(), t.jobId(), t.jobName(), t.team(),
                t.taskType(), t.scheduledAt(), t.dispatchedAt(), t.timeout(), t.payload(), SCHEDULED.plusSeconds(30));
        JsonNode json = plain.readTree(codec.encode(withDeadline));
        assertThat(json.get("startBy").asText()).isEqualTo("2024-03-10T09:00:30Z");
        assertThat(codec.decodeTask(codec.encode(withDeadline))).isEqualTo(withDeadline);
        assertThat(withDeadline.isPastStartBy(SCHEDULED.plusSeconds(30))).isFalse();
        assertThat(withDeadline.isPastStartBy(SCHEDULED.plusSeconds(31))).isTrue();
        assertThat(t.isPastStartBy(SCHEDULED.plusSeconds(100_000))).isFalse();

        ResultMessage done = ResultMessage.of(t, "w1", ResultStatus.SUCCEEDED, DISPATCHED, null, null)
                .withStartedAt(SCHEDULED);
        assertThat(plain.readTree(codec.encode(done)).get("startedAt").asText()).isEqualTo("2024-03-10T09:00:00Z");
        assertThat(codec.decodeResult(codec.encode(done))).isEqualTo(done);
    }

    @Test
    void aResultsMessageIsOneResultOrAnArrayWhoseBadElementsAreRejectedAlone() throws Exception {
        ResultMessage started = ResultMessage.of(task(), "w1", ResultStatus.STARTED, DISPATCHED, null, null);
        ResultMessage done = ResultMessage.of(task(), "w1", ResultStatus.SUCCEEDED, DISPATCHED, null, null);
        assertThat(codec.decodeResultBatch(codec.encode(done)).results()).containsExactly(done);
        String array = "[" + codec.encodeToString(started) + ",{\"runId\":\"abc\"},7," + codec.encodeToString(done) + "]";

        ResultBatch batch = codec.decodeResultBatch(utf8(" \n" + array));

        assertThat(batch.results()).containsExactly(started, done);
        assertThat(batch.rejected()).hasSize(2);
        assertThat(batch.rejected().get(0).json()).contains("abc");
        assertThat(batch.rejected().get(0).reason()).contains("runId");
        assertThat(batch.rejected().get(1).reason()).contains("JSON object");
        assertThatThrownBy(() -> codec.decodeResultBatch(utf8("[]"))).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("non-empty");
        assertThatThrownBy(() -> codec.decodeResultBatch(utf8("[" + codec.encodeToString(done))))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decodeResultBatch(new byte[0])).isInstanceOf(MalformedMessageException.class);
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(MessageCodec.MAX_RESULTS_PER_MESSAGE + 1,
                codec.encodeToString(done))) + "]";
        assertThatThrownBy(() -> codec.decodeResultBatch(utf8(tooMany))).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("1001").hasMessageContaining("1000");
    }

    @Test
    void resultFieldNames() throws Exception {
        ResultMessage m = ResultMessage.of(task(), "w1", ResultStatus.HEARTBEAT, DISPATCHED, null, null);
        JsonNode json = plain.readTree(codec.encode(m));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("version", "runId", "attempt", "workerId", "status", "at", "error",
                "result");
        assertThat(json.get("status").asText()).isEqualTo("HEARTBEAT");
        assertThat(json.get("at").asText()).isEqualTo("2024-03-10T09:00:00.250Z");
    }

    @Test
    void theSenderNeverTravelsInTheJsonAndAForgedOneIsDropped() throws Exception {
        ResultMessage signed = ResultMessage.of(task(), "w1", ResultStatus.SUCCEEDED, DISPATCHED, null, null)
                .withSender("rota-worker");
        JsonNode json = plain.readTree(codec.encode(signed));
        assertThat(json.has("sender")).isFalse();
        ObjectNode forged = ((ObjectNode) json).put("sender", "rota-master");
        assertThat(codec.decodeResult(bytes(forged)).sender()).isNull();
    }

    @Test
    void controlEventAndSettingsRoundTrip() throws Exception {
        ControlMessage cancel = new ControlMessage(ControlMessage.Type.CANCEL, 42, 3);
        assertThat(codec.decodeControl(codec.encode(cancel))).isEqualTo(cancel);

        CompletionEvent event = new CompletionEvent(42, 3, 7L, "nightly-report", "billing", "report", RunState.DEAD,
                SCHEDULED, DISPATCHED.plusSeconds(60), "worker-1", "boom");
        assertThat(codec.decodeEvent(codec.encode(event))).isEqualTo(event);
        assertThat(plain.readTree(codec.encode(event)).get("state").asText()).isEqualTo("DEAD");

        ClusterSettings settings = new ClusterSettings("amqp://guest:guest@127.0.0.1:5672/%2F", "prod",
                QueueType.CLASSIC, 3, Duration.ofMillis(1500), 4096);
        assertThat(codec.decodeSettings(codec.encode(settings))).isEqualTo(settings);
        assertThat(plain.readTree(codec.encode(settings)).get("heartbeatInterval").asText()).isEqualTo("PT1.5S");
    }

    @Test
    void emptyBodyIsMalformed() {
        assertThatThrownBy(() -> codec.decodeTask(new byte[0]))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decodeTask(null))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> codec.decodeResult(new byte[0])).isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> codec.decodeControl(new byte[0])).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void notJsonIsMalformed() {
        assertThatThrownBy(() -> codec.decodeTask(utf8("hello, worker")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("not a valid TaskMessage");
        assertThatThrownBy(() -> codec.decodeTask(utf8("{\"version\":1,")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("TaskMessage");
        assertThatThrownBy(() -> codec.decodeTask(utf8("[1,2,3]")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("TaskMessage");
        assertThatThrownBy(() -> codec.decodeTask(utf8("null")))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("TaskMessage");
        assertThatThrownBy(() -> codec.readTree("{oops"))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    private ObjectNode validTaskJson() throws Exception {
        return (ObjectNode) plain.readTree(codec.encode(task()));
    }

    private byte[] bytes(ObjectNode node) throws Exception {
        return plain.writeValueAsBytes(node);
    }

    @Test
    void missingOrBadFieldsAreNamed() throws Exception {
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().without("runId"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().put("runId", -1))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().put("runId", "forty-two"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().put("attempt", 0))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("attempt");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().without("taskType"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("taskType");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().put("taskType", "a.b"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("taskType");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().without("scheduledAt"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("scheduledAt");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().put("scheduledAt", "yesterday"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("scheduledAt");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().without("payload"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("payload");
    }

    @Test
    void unsupportedVersionIsNamed() throws Exception {
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().put("version", 2))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("version").hasMessageContaining("2");
        assertThatThrownBy(() -> codec.decodeTask(bytes(validTaskJson().without("version"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("version");
        ObjectNode result = (ObjectNode) plain.readTree(codec.encode(
                ResultMessage.of(task(), "w1", ResultStatus.STARTED, DISPATCHED, null, null)));
        assertThatThrownBy(() -> codec.decodeResult(bytes(result.deepCopy().put("version", 99))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("version");
    }

    @Test
    void resultValidationNamesTheField() throws Exception {
        ObjectNode result = (ObjectNode) plain.readTree(codec.encode(
                ResultMessage.of(task(), "w1", ResultStatus.STARTED, DISPATCHED, null, null)));
        assertThat(codec.decodeResult(bytes(result)).status()).isEqualTo(ResultStatus.STARTED);
        assertThatThrownBy(() -> codec.decodeResult(bytes(result.deepCopy().without("runId"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> codec.decodeResult(bytes(result.deepCopy().put("workerId", " "))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("workerId");
        assertThatThrownBy(() -> codec.decodeResult(bytes(result.deepCopy().without("status"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> codec.decodeResult(bytes(result.deepCopy().put("status", "EXPLODED"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("ResultMessage");
        assertThatThrownBy(() -> codec.decodeResult(bytes(result.deepCopy().without("at"))))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("at");
        assertThatThrownBy(() -> codec.decodeControl(utf8("{\"runId\":1,\"attempt\":1}")))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("type");
    }

    @Test
    void invalidSettingsAreMalformed() {
        String json = """
                {"amqpUri":"amqp://h","namespace":"bad.name","queueType":"QUORUM","deliveryLimit":5,
                 "heartbeatInterval":"PT5S","maxPayloadBytes":1024}
                """;
        assertThatThrownBy(() -> codec.decodeSettings(utf8(json)))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("namespace");
    }

    @Test
    void treeHelpers() throws Exception {
        JsonNode node = codec.toTree(new ControlMessage(ControlMessage.Type.CANCEL, 9, 1));
        assertThat(node.get("type").asText()).isEqualTo("CANCEL");
        assertThat(codec.convert(node, ControlMessage.class)).isEqualTo(new ControlMessage(ControlMessage.Type.CANCEL, 9, 1));
    }
}
