package dev.rota.registry;

import dev.rota.model.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable registry settings; build with {@link RegistryBuilder}.
 *
 * @param connectString     ZooKeeper connect string, e.g. {@code 127.0.0.1:2181}
 * @param namespace         Rota namespace; ZooKeeper paths live under {@code /rota/<namespace>}
 * @param sessionTimeout    requested ZooKeeper session timeout (the server may negotiate another)
 * @param connectionTimeout how long {@link Registry#start()} waits for the first connection
 * @param auth              ZooKeeper authentication and ACLs; null for an open cluster (every node
 *                          readable and writable by anyone who reaches ZooKeeper)
 * @param tls               verified TLS to ZooKeeper; null for plain TCP
 */
public record RegistryConfig(String connectString, String namespace, Duration sessionTimeout,
        Duration connectionTimeout, ZkAuth auth, ZkTls tls) {

    public static final String DEFAULT_CONNECT_STRING = "127.0.0.1:2181";
    public static final String DEFAULT_NAMESPACE = "default";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

    public RegistryConfig {
        Objects.requireNonNull(connectString, "connectString");
        if (connectString.isBlank()) {
            throw new IllegalArgumentException("connectString must not be blank");
        }
        Names.requireValid("namespace", namespace);
        requirePositive("sessionTimeout", sessionTimeout);
        requirePositive("connectionTimeout", connectionTimeout);
    }

    /** An open cluster's settings: no authentication, no ACLs. */
    public RegistryConfig(String connectString, String namespace, Duration sessionTimeout, Duration connectionTimeout) {
        this(connectString, namespace, sessionTimeout, connectionTimeout, null, null);
    }

    /** Settings over plain TCP. */
    public RegistryConfig(String connectString, String namespace, Duration sessionTimeout, Duration connectionTimeout,
            ZkAuth auth) {
        this(connectString, namespace, sessionTimeout, connectionTimeout, auth, null);
    }

    /** These settings with {@code auth} (null for none). */
    public RegistryConfig withAuth(ZkAuth auth) {
        return new RegistryConfig(connectString, namespace, sessionTimeout, connectionTimeout, auth, tls);
    }

    /** These settings with {@code tls} (null for plain TCP). */
    public RegistryConfig withTls(ZkTls tls) {
        return new RegistryConfig(connectString, namespace, sessionTimeout, connectionTimeout, auth, tls);
    }

    static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
