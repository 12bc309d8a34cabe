package dev.rota.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void readyOnlyWhenEveryCheckIsUpAndTheJsonNamesTheOneDown() {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("zookeeper", true);
        checks.put("postgresql", false);
        Health health = new Health(checks);

        assertThat(health.ready()).isFalse();
        assertThat(health.toJson()).isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"zookeeper\":\"UP\",\"postgresql\":\"DOWN\"}}");
        checks.put("postgresql", true);
        assertThat(new Health(checks).ready()).isTrue();
    }

    @Test
    void aBadConfigNamesTheField() {
        assertThatThrownBy(() -> MetricsConfig.DEFAULTS.withJobLabelLimit(-1)).hasMessageContaining("jobLabelLimit");
        assertThatThrownBy(() -> MetricsConfig.DEFAULTS.withDatabaseCheck(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("databaseStaleAfter");
        assertThatThrownBy(() -> MetricsConfig.DEFAULTS.withGaugeRefreshInterval(Duration.ZERO))
                .hasMessageContaining("gaugeRefreshInterval");
    }
}
