package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Unit tier: the immutable configs and specs reject bad values and name them. No database. */
class ConfigValidationTest {

    @Test
    void databaseConfigDefaultsAndValidation() {
        DatabaseConfig c = RotaDatabase.builder().config();
        assertThat(c.url()).isEqualTo(DatabaseConfig.DEFAULT_URL);
        assertThat(c.schema()).isEqualTo(DatabaseConfig.DEFAULT_SCHEMA);
        assertThat(c.password()).isEmpty();
        assertThat(c.maxPoolSize()).isEqualTo(DatabaseConfig.DEFAULT_MAX_POOL_SIZE);

        assertThatThrownBy(() -> RotaDatabase.builder().url("jdbc:mysql://x/y").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql://x/y");
        assertThatThrownBy(() -> RotaDatabase.builder().schema("Rota").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("schema 'Rota'");
        assertThatThrownBy(() -> RotaDatabase.builder().schema("a;drop").config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> RotaDatabase.builder().maxPoolSize(0).config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPoolSize");
        assertThatThrownBy(() -> RotaDatabase.builder().connectionTimeout(Duration.ofMillis(10)).config())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectionTimeout");
    }

    @Test
    void jobSpecValidation() {
        JobSpec spec = JobSpec.of("nightly", "0 0 2 * * ?", "report");
        assertThat(spec.team()).isEqualTo(JobSpec.DEFAULT_TEAM);
        assertThat(spec.timeZone()).isEqualTo(JobSpec.DEFAULT_TIME_ZONE);
        assertThat(spec.retryPolicy()).isEqualTo(RetryPolicy.NONE);

        assertThatThrownBy(() -> JobSpec.of("x", "* * * * * ?", "bad.type"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("task type 'bad.type'");
        assertThatThrownBy(() -> spec.withTeam("a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("team 'a b'");
        assertThatThrownBy(() -> JobSpec.of(" ", "* * * * * ?", "report"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("job name");
        assertThatThrownBy(() -> spec.withMisfire(dev.rota.model.MisfirePolicy.FIRE_ALL, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("misfireLimit");
        assertThatThrownBy(() -> spec.withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void taskSubmissionValidation() {
        Instant at = Instant.parse("2024-01-01T00:00:00Z");
        TaskSubmission s = TaskSubmission.of("report", "{}", at);
        assertThat(s.idempotencyKey()).isNull();
        assertThat(s.withIdempotencyKey("k").idempotencyKey()).isEqualTo("k");

        assertThatThrownBy(() -> s.withIdempotencyKey(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
        assertThatThrownBy(() -> s.withIdempotencyKey("k".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idempotencyKey");
        assertThatThrownBy(() -> s.withTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> TaskSubmission.of("report", "{}", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("runAt");
    }
}
