package dev.rota.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schemas are strict enough to refuse what the leader refuses (no I/O). */
class ContractSelfTest {
    private final Contract contract;

    ContractSelfTest() throws Exception {
        contract = new Contract();
    }

    @Test
    void theDocumentIsAsyncApi3AndDescribesEveryMessage() {
        assertThat(contract.document().get("asyncapi").asText()).isEqualTo("3.0.0");
        for (String schema : new String[] {"TaskMessage", "ResultMessage", "ControlMessage", "CompletionEvent", "Submission",
            "SubmissionReply", "WorkerAnnouncement", "BrokerSettings"}) {
            assertThat(contract.document().at("/components/schemas/" + schema).isObject()).as(schema).isTrue();
        }
    }

    @Test
    void malformedMessagesViolateTheirSchemas() throws Exception {
        assertThat(contract.violations("ResultMessage",
                "{\"version\":1,\"runId\":\"42\",\"attempt\":1,\"workerId\":\"w\",\"status\":\"SUCCEEDED\",\"at\":\"2026-01-01T00:00:00Z\"}"))
                .as("a string run id").isNotEmpty();
        assertThat(contract.violations("ResultMessage",
                "{\"version\":2,\"runId\":42,\"attempt\":1,\"workerId\":\"w\",\"status\":\"SUCCEEDED\",\"at\":\"2026-01-01T00:00:00Z\"}"))
                .as("version 2").isNotEmpty();
        assertThat(contract.violations("Submission", "{\"version\":1,\"taskType\":\"a\",\"job\":\"b\"}"))
                .as("both a task type and a job").isNotEmpty();
        assertThat(contract.violations("Submission", "{\"version\":1,\"taskType\":\"bad.type\"}")).isNotEmpty();
        assertThat(contract.violations("SubmissionReply", "{\"version\":1,\"status\":\"ACCEPTED\"}"))
                .as("accepted without a run id").isNotEmpty();
        assertThat(contract.violations("WorkerAnnouncement", "{\"version\":1,\"type\":\"ANNOUNCE\",\"workerId\":\"w\"}"))
                .as("announce without task types").isNotEmpty();
        assertThat(contract.violations("Submission", "{\"version\":1,\"taskType\":\"greet\",\"delay\":\"PT5S\"}")).isEmpty();
        assertThat(contract.violations("ResultMessage", "{\"version\":1,\"runId\":42,\"attempt\":1,\"workerId\":\"w\","
                + "\"status\":\"FAILED\",\"at\":\"2026-01-01T00:00:00Z\",\"error\":\"boom\",\"log\":\"opened\\nfailed\\n\"}"))
                .as("a final result with its log").isEmpty();
        assertThat(contract.violations("ResultMessage", "{\"version\":1,\"runId\":42,\"attempt\":1,\"workerId\":\"w\","
                + "\"status\":\"FAILED\",\"at\":\"2026-01-01T00:00:00Z\",\"log\":[\"a\",\"b\"]}"))
                .as("a log that is not a string").isNotEmpty();
    }
}
