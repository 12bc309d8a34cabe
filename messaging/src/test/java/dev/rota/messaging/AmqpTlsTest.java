package dev.rota.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rota.testsupport.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code amqps://} verifies the broker: a tiny local TLS server with throwaway certificates (made with
 * {@code keytool}) stands in for RabbitMQ, so the shared broker stays as it is.
 */
class AmqpTlsTest {
    @TempDir
    Path dir;

    private TestCertificates certs;

    @BeforeEach
    void certificates() {
        certs = new TestCertificates(dir);
    }

    @Test
    void aCertificateNobodyTrustsIsRefused() throws Exception {
        KeyStore server = keyPair("broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        try (TlsServer tls = new TlsServer(server)) {
            assertThatThrownBy(() -> AmqpConnections.open(tls.uri("127.0.0.1"), "tls-test"))
                    .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SSLHandshakeException)
                            .anyMatch(c -> c instanceof java.security.cert.CertPathBuilderException));
            assertThat(tls.handshake()).isFalse();
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        KeyStore server = keyPair("broker", "CN=mq.elsewhere.example", "SAN=dns:mq.elsewhere.example");
        try (TlsServer tls = new TlsServer(server)) {
            assertThatThrownBy(() -> AmqpConnections.open(tls.uri("127.0.0.1"), "tls-test", trusting(server)))
                    .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SSLHandshakeException)
                            .anyMatch(c -> c instanceof java.security.cert.CertificateException
                                    && String.valueOf(c.getMessage()).contains("127.0.0.1")));
            assertThat(tls.handshake()).isFalse();
        }
    }

    @Test
    void aTrustedCertificateForTheRightHostCompletesTheHandshake() throws Exception {
        KeyStore server = keyPair("broker", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        try (TlsServer tls = new TlsServer(server)) {
            // The stand-in speaks no AMQP, so the connection fails after the handshake, not in it.
            assertThatThrownBy(() -> AmqpConnections.open(tls.uri("127.0.0.1"), "tls-test", trusting(server)));
            assertThat(tls.handshake()).isTrue();
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }

    private KeyStore keyPair(String name, String dname, String san) throws Exception {
        return TestCertificates.load(certs.keyPair(name, dname, san));
    }

    /** A client context that trusts exactly the certificate in {@code server}. */
    private static SSLContext trusting(KeyStore server) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker", server.getCertificate(server.aliases().nextElement()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Accepts one TLS connection and records whether its handshake completed. */
    private static final class TlsServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final CompletableFuture<Boolean> handshake = new CompletableFuture<>();

        TlsServer(KeyStore keys) throws Exception {
            socket = (SSLServerSocket) TestCertificates.serverContext(keys).getServerSocketFactory().createServerSocket(0, 1,
                    InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.startHandshake();
                    handshake.complete(true);
                } catch (IOException e) {
                    handshake.complete(false);
                }
            }, "tls-stand-in");
            t.setDaemon(true);
            t.start();
        }

        String uri(String host) {
            return "amqps://guest:guest@" + host + ":" + socket.getLocalPort() + "/%2F";
        }

        boolean handshake() throws Exception {
            return handshake.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
