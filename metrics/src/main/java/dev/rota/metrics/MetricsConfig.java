package dev.rota.metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * How metrics are kept.
 *
 * @param jobLabelLimit         how many distinct job names get their own {@code job} label value; later ones
 *                              are counted under {@code _other}, so a cluster with many jobs cannot blow up the
 *                              series count. 0 puts every job under {@code _other}
 * @param labelLimit            the same bound for {@code team} and {@code task_type} values
 * @param gaugeRefreshInterval  how often gauges read from PostgreSQL and ZooKeeper are refreshed (runs by
 *                              state, outbox, workers): one cheap query each time, never one per scrape
 * @param databaseCheckInterval how often the master checks that PostgreSQL answers
 * @param databaseStaleAfter    PostgreSQL counts as down when no check succeeded for this long (so a
 *                              hanging connection counts as down too); at least the check interval
 */
public record MetricsConfig(int jobLabelLimit, int labelLimit, Duration gaugeRefreshInterval,
        Duration databaseCheckInterval, Duration databaseStaleAfter) {
    public static final int DEFAULT_JOB_LABEL_LIMIT = 100;
    public static final int DEFAULT_LABEL_LIMIT = 1000;
    public static final Duration DEFAULT_GAUGE_REFRESH_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DATABASE_CHECK_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_DATABASE_STALE_AFTER = Duration.ofMillis(750);
    public static final MetricsConfig DEFAULTS = new MetricsConfig(DEFAULT_JOB_LABEL_LIMIT, DEFAULT_LABEL_LIMIT,
            DEFAULT_GAUGE_REFRESH_INTERVAL, DEFAULT_DATABASE_CHECK_INTERVAL, DEFAULT_DATABASE_STALE_AFTER);

    public MetricsConfig {
        if (jobLabelLimit < 0 || jobLabelLimit > 10_000) {
            throw new IllegalArgumentException("jobLabelLimit must be 0 to 10000, was " + jobLabelLimit);
        }
        if (labelLimit < 1 || labelLimit > 10_000) {
            throw new IllegalArgumentException("labelLimit must be 1 to 10000, was " + labelLimit);
        }
        positive("gaugeRefreshInterval", gaugeRefreshInterval);
        positive("databaseCheckInterval", databaseCheckInterval);
        positive("databaseStaleAfter", databaseStaleAfter);
        if (databaseStaleAfter.compareTo(databaseCheckInterval) < 0) {
            throw new IllegalArgumentException("databaseStaleAfter must be at least databaseCheckInterval ("
                    + databaseCheckInterval + "), was " + databaseStaleAfter);
        }
    }

    public MetricsConfig withJobLabelLimit(int limit) {
        return new MetricsConfig(limit, labelLimit, gaugeRefreshInterval, databaseCheckInterval, databaseStaleAfter);
    }

    public MetricsConfig withGaugeRefreshInterval(Duration interval) {
        return new MetricsConfig(jobLabelLimit, labelLimit, interval, databaseCheckInterval, databaseStaleAfter);
    }

    public MetricsConfig withDatabaseCheck(Duration interval, Duration staleAfter) {
        return new MetricsConfig(jobLabelLimit, labelLimit, gaugeRefreshInterval, interval, staleAfter);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
