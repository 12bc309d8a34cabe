package dev.rota.metrics;

/**
 * What an HTTP endpoint serves for a node: its metrics in the Prometheus text format and its health.
 * Both are cheap: metrics are kept up to date by listeners and background refreshes, health reads flags
 * that connection listeners and a periodic database check keep. Thread-safe.
 */
public interface MetricsSource {
    /** The content type of {@link #scrape()}. */
    String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Every metric, in the Prometheus text exposition format 0.0.4. */
    String scrape();

    /** The node's dependencies, as of now (within the configured check interval for PostgreSQL). */
    Health health();
}
