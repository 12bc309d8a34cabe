package dev.rota.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the API server listens.
 *
 * @param host          the address to bind; forced to 127.0.0.1 with {@code insecureLocal}
 * @param port          the TCP port, 0 for any free one
 * @param insecureLocal serve requests without a token as an all-teams admin, on loopback only; for
 *                      demos and local development
 * @param clusterWatchInterval how often the live stream looks for leadership and membership changes
 */
public record ApiServerConfig(String host, int port, boolean insecureLocal, Duration clusterWatchInterval) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final String LOOPBACK = "127.0.0.1";
    public static final Duration DEFAULT_CLUSTER_WATCH_INTERVAL = Duration.ofMillis(250);

    public ApiServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        Objects.requireNonNull(clusterWatchInterval, "clusterWatchInterval");
        if (clusterWatchInterval.isNegative() || clusterWatchInterval.isZero()) {
            throw new IllegalArgumentException("clusterWatchInterval must be positive, was " + clusterWatchInterval);
        }
        if (insecureLocal) {
            host = LOOPBACK;
        }
    }

    public static ApiServerConfig of(int port) {
        return new ApiServerConfig(DEFAULT_HOST, port, false, DEFAULT_CLUSTER_WATCH_INTERVAL);
    }

    public ApiServerConfig withInsecureLocal(boolean insecureLocal) {
        return new ApiServerConfig(host, port, insecureLocal, clusterWatchInterval);
    }

    public ApiServerConfig withHost(String host) {
        return new ApiServerConfig(host, port, insecureLocal, clusterWatchInterval);
    }
}
