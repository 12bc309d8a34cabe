package dev.rota.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.model.ClusterSettings;
import dev.rota.testsupport.TestCertificates;
import dev.rota.testsupport.TestServers;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.server.NettyServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified TLS to a real ZooKeeper: an in-process server whose only client port speaks TLS (Netty,
 * like a {@code secureClientPort}), with throwaway certificates made by {@code keytool}. The right trust
 * store connects and works; a trust store of another CA and a certificate for another host are refused.
 */
class ZooKeeperTlsTest {
    private static final String PASS = TestCertificates.PASSWORD;
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /** The server reads its TLS settings from system properties; each test sets and clears them. */
    private static final Map<String, String> SERVER_PROPERTIES = Map.of(
            "zookeeper.ssl.keyStore.location", "",
            "zookeeper.ssl.keyStore.password", PASS,
            "zookeeper.ssl.clientAuth", "none");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();
    private TestCertificates certs;

    @BeforeEach
    void certificates() {
        certs = new TestCertificates(dir);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        SERVER_PROPERTIES.keySet().forEach(System::clearProperty);
    }

    @Test
    void theRightTrustStoreConnectsAndTheRegistryWorks() throws Exception {
        Path serverKeys = certs.keyPair("zk", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        String connect = tlsZooKeeper(serverKeys);

        Registry registry = registry(connect, new ZkTls(certs.trustStoreOf(serverKeys), PASS));
        registry.start();
        ClusterSettings settings = ClusterSettings.defaults("amqp://127.0.0.1:5672/%2F", "tls");
        registry.publishSettings(settings);

        assertThat(registry.isConnected()).isTrue();
        assertThat(registry.readSettings()).contains(settings);
    }

    @Test
    void aPemTrustStoreWorksToo() throws Exception {
        Path serverKeys = certs.keyPair("zk", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        String connect = tlsZooKeeper(serverKeys);

        Registry registry = registry(connect, new ZkTls(certs.certificateOf(serverKeys), null));
        registry.start();

        assertThat(registry.readSettings()).isEmpty();
        assertThat(registry.isConnected()).isTrue();
    }

    @Test
    void aPemTrustStoreOfAnotherCaNamesTheReason() throws Exception {
        Path serverKeys = certs.keyPair("zk", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        Path otherCa = certs.keyPair("other", "CN=Another CA", "SAN=dns:ca.elsewhere.example");
        String connect = tlsZooKeeper(serverKeys);

        Registry registry = registry(connect, new ZkTls(certs.certificateOf(otherCa), null));

        assertThatThrownBy(registry::start).isInstanceOf(RegistryException.class)
                .hasMessageContaining("certification path");
    }

    @Test
    void aTrustStoreOfAnotherCaNeverConnects() throws Exception {
        Path serverKeys = certs.keyPair("zk", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        Path otherCa = certs.keyPair("other", "CN=Another CA", "SAN=dns:ca.elsewhere.example");
        String connect = tlsZooKeeper(serverKeys);

        Registry registry = registry(connect, new ZkTls(certs.trustStoreOf(otherCa), PASS));

        assertThatThrownBy(registry::start).isInstanceOf(RegistryException.class)
                .hasMessageContaining("over TLS")
                .hasMessageContaining("TLS handshake with 127.0.0.1")
                .hasMessageContaining("certification path");
        assertThat(registry.isConnected()).isFalse();
    }

    @Test
    void aTrustedCertificateForAnotherHostNeverConnects() throws Exception {
        Path serverKeys = certs.keyPair("zk", "CN=zk.elsewhere.example", "SAN=dns:zk.elsewhere.example");
        String connect = tlsZooKeeper(serverKeys);

        Registry registry = registry(connect, new ZkTls(certs.trustStoreOf(serverKeys), PASS));

        assertThatThrownBy(registry::start).isInstanceOf(RegistryException.class)
                .hasMessageContaining("over TLS")
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1");
        assertThat(registry.isConnected()).isFalse();
    }

    @Test
    void aTrustStoreThatIsNotAFileIsRefusedNamingIt() {
        assertThatThrownBy(() -> new ZkTls(dir.resolve("missing.p12"), PASS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustStore")
                .hasMessageContaining("missing.p12");
    }

    private Registry registry(String connect, ZkTls tls) {
        Registry registry = new RegistryBuilder().connectString(connect).namespace(TestServers.uniqueName("tls"))
                .sessionTimeout(Duration.ofSeconds(2)).connectionTimeout(CONNECTION_TIMEOUT).tls(tls).build();
        open.add(registry);
        return registry;
    }

    /** A ZooKeeper on 127.0.0.1 whose client port accepts TLS only, presenting {@code keyStore}. */
    private String tlsZooKeeper(Path keyStore) throws Exception {
        SERVER_PROPERTIES.forEach(System::setProperty);
        System.setProperty("zookeeper.ssl.keyStore.location", keyStore.toString());
        Path data = Files.createDirectories(dir.resolve("zk-" + System.nanoTime()));
        ZooKeeperServer server = new ZooKeeperServer(data.toFile(), data.toFile(), 200);
        ServerCnxnFactory factory;
        System.setProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY, NettyServerCnxnFactory.class.getName());
        try {
            factory = ServerCnxnFactory.createFactory();
        } finally {
            System.clearProperty(ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY);
        }
        factory.configure(new InetSocketAddress("127.0.0.1", 0), 100, -1, true);
        factory.startup(server);
        open.add(() -> {
            factory.shutdown();
            server.shutdown();
        });
        return "127.0.0.1:" + factory.getLocalPort();
    }
}
