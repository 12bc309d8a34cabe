package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Limits hold whatever the path: plain SQL meets the database's constraints, the API its validation. */
class LimitsTest extends DatabaseTest {
    private static final String TEN_MB_PAYLOAD = "{\"blob\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}";

    @Test
    void aTenMegabytePayloadInsertedBySqlIsRefusedNamingTheLimit() {
        assertThatThrownBy(() -> sql("INSERT INTO job (name, cron, task_type, payload) VALUES ('big', '* * * * * ?', 'report', ?::jsonb)",
                TEN_MB_PAYLOAD))
                .rootCause().hasMessageContaining("job_payload_at_most_262144_bytes");
        JobDefinition small = job("small");
        assertThatThrownBy(() -> sql("UPDATE job SET payload = ?::jsonb WHERE id = ?", TEN_MB_PAYLOAD, small.id()))
                .rootCause().hasMessageContaining("job_payload_at_most_262144_bytes");
        assertThatThrownBy(() -> sql("INSERT INTO run (task_type, payload) VALUES ('report', ?::jsonb)", TEN_MB_PAYLOAD))
                .rootCause().hasMessageContaining("run_payload_at_most_262144_bytes");
        assertThat(count("SELECT count(*) FROM run")).isZero();
    }

    @Test
    void aPayloadAtTheLimitIsAccepted() {
        String atLimit = "\"" + "x".repeat(JobSpec.MAX_PAYLOAD_BYTES - 2) + "\"";
        assertThat(sql("INSERT INTO job (name, cron, task_type, payload) VALUES ('edge', '* * * * * ?', 'report', ?::jsonb)",
                atLimit)).isEqualTo(1);
        assertThatThrownBy(() -> sql("INSERT INTO job (name, cron, task_type, payload) VALUES ('over', '* * * * * ?',"
                + " 'report', ?::jsonb)", "\"" + "x".repeat(JobSpec.MAX_PAYLOAD_BYTES - 1) + "\""))
                .rootCause().hasMessageContaining("job_payload_at_most_262144_bytes");
    }

    @Test
    void theApiRefusesAnOversizedPayloadNamingTheLimitAndTheJob() {
        assertThatThrownBy(() -> JobSpec.of("big", "* * * * * ?", "report").withPayload(TEN_MB_PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job 'big'").hasMessageContaining("maxPayloadBytes").hasMessageContaining("262144");
        assertThatThrownBy(() -> TaskSubmission.of("report", TEN_MB_PAYLOAD, runs.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task of type 'report'")
                .hasMessageContaining("262144");
    }

    @Test
    void aMisfireLimitInTheMillionsIsRefusedBySqlAndByTheApi() {
        assertThatThrownBy(() -> sql("INSERT INTO job (name, cron, task_type, misfire_limit) VALUES ('m', '* * * * * ?',"
                + " 'report', 5000000)")).rootCause().hasMessageContaining("job_misfire_limit_at_most_10000");
        assertThat(sql("INSERT INTO job (name, cron, task_type, misfire_limit) VALUES ('m', '* * * * * ?', 'report', 10000)"))
                .isEqualTo(1);
        assertThatThrownBy(() -> JobSpec.of("m2", "* * * * * ?", "report")
                .withMisfire(dev.rota.model.MisfirePolicy.FIRE_ALL, 5_000_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 10000")
                .hasMessageContaining("5000000");
    }

    @Test
    void aStartingDeadlineMustBePositive() {
        job("j");
        assertThatThrownBy(() -> sql("UPDATE job SET starting_deadline_ms = 0"))
                .rootCause().hasMessageContaining("job_starting_deadline_ms_positive");
        assertThatThrownBy(() -> JobSpec.of("d", "* * * * * ?", "report").withStartingDeadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startingDeadline");
        JobDefinition withDeadline = jobs.create(JobSpec.of("d", "* * * * * ?", "report")
                .withStartingDeadline(Duration.ofSeconds(30)));
        assertThat(withDeadline.startingDeadline()).isEqualTo(Duration.ofSeconds(30));
        long version = withDeadline.version();
        sql("UPDATE job SET starting_deadline_ms = 1000 WHERE id = ?", withDeadline.id());
        assertThat(jobs.find(withDeadline.id()).orElseThrow().version())
                .as("a changed starting deadline is a changed job").isEqualTo(version + 1);
    }
}
