package dev.rota.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Verified TLS to ZooKeeper (its Netty transport): the registry trusts exactly the certificates in
 * {@code trustStore} and checks that the server's certificate names the host it connected to (a
 * subject alternative name matching the connect string's host or IP address). A server whose
 * certificate fails either check is never connected to. The server needs a {@code secureClientPort}
 * (and {@code serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory}).
 *
 * <p>The settings apply to this registry's client only, never to JVM-wide system properties, so two
 * registries in one JVM may use different trust stores. {@link #toString()} never shows the password.
 *
 * @param trustStore         a PKCS12, JKS or PEM file with the trusted CA (or server) certificates; must be
 *                           a readable file
 * @param trustStorePassword its password; null or empty for none
 */
public record ZkTls(Path trustStore, String trustStorePassword) {
    public ZkTls {
        Objects.requireNonNull(trustStore, "trustStore");
        if (!Files.isRegularFile(trustStore) || !Files.isReadable(trustStore)) {
            throw new IllegalArgumentException("ZooKeeper TLS trustStore must be a readable file, was " + trustStore);
        }
    }

    @Override
    public String toString() {
        return "ZkTls[trustStore=" + trustStore + ", trustStorePassword="
                + (trustStorePassword == null || trustStorePassword.isEmpty() ? "none" : "***") + "]";
    }
}
