package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import dev.rota.testsupport.TestCertificates;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sslmode=verify-full} in the JDBC URL makes Rota's database layer verify the server: a tiny
 * stand-in answers PostgreSQL's SSLRequest with 'S' and then does a TLS handshake with throwaway
 * certificates (made with {@code keytool}), so the shared PostgreSQL stays as it is.
 */
class PostgresTlsTest {
    /** The code of PostgreSQL's SSLRequest, sent before the startup message. */
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;

    @TempDir
    Path dir;

    private TestCertificates certs;

    @BeforeEach
    void certificates() {
        certs = new TestCertificates(dir);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        Path server = certs.keyPair("db", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        Path otherCa = certs.keyPair("other", "CN=Another CA", "SAN=dns:ca.elsewhere.example");
        try (TlsStandIn pg = new TlsStandIn(server)) {
            assertThatThrownBy(() -> connect(pg.url("127.0.0.1", "verify-full", certs.certificateOf(otherCa))))
                    .satisfies(e -> assertThat(messages(e)).anyMatch(m -> m.contains("SSL error")
                            && m.contains("certification path")));
            assertThat(pg.anyClientWentOn()).isFalse();
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        Path server = certs.keyPair("db", "CN=db.elsewhere.example", "SAN=dns:db.elsewhere.example");
        try (TlsStandIn pg = new TlsStandIn(server)) {
            assertThatThrownBy(() -> connect(pg.url("127.0.0.1", "verify-full", certs.certificateOf(server))))
                    .satisfies(e -> assertThat(messages(e)).anyMatch(m -> m.contains("127.0.0.1")
                            && m.contains("could not be verified")));
            assertThat(pg.anyClientWentOn()).isFalse();
        }
    }

    @Test
    void aTrustedCertificateForTheRightHostIsAccepted() throws Exception {
        Path server = certs.keyPair("db", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        try (TlsStandIn pg = new TlsStandIn(server)) {
            // The stand-in answers no startup message, so the connection still fails, but only after it.
            assertThatThrownBy(() -> connect(pg.url("127.0.0.1", "verify-full", certs.certificateOf(server))));
            assertThat(pg.anyClientWentOn()).isTrue();
        }
    }

    private static void connect(String url) throws Exception {
        try (RotaDatabase db = RotaDatabase.builder().url(url).schema("rota_tls_test")
                .connectionTimeout(Duration.ofSeconds(2)).build();
                Connection c = db.dataSource().getConnection()) {
            throw new AssertionError("connected to the stand-in: " + c);
        }
    }

    private static List<String> messages(Throwable t) {
        List<String> all = new ArrayList<>();
        List<Throwable> seen = new ArrayList<>();
        for (Throwable c = t; c != null && !seen.contains(c); c = c.getCause()) {
            seen.add(c);
            all.add(String.valueOf(c.getMessage()));
            if (c instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                all.add(String.valueOf(sql.getNextException().getMessage()));
            }
        }
        return all;
    }

    /**
     * Answers every SSLRequest with 'S' and a TLS handshake, and records whether any client went on to
     * send its startup message (the pool may try more than once).
     */
    private static final class TlsStandIn implements AutoCloseable {
        private final ServerSocket socket;
        private final SSLContext tls;
        private final CompletableFuture<Boolean> startup = new CompletableFuture<>();
        private final CompletableFuture<Boolean> firstAttempt = new CompletableFuture<>();

        TlsStandIn(Path keyStore) throws Exception {
            tls = TestCertificates.serverContext(TestCertificates.load(keyStore));
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::serve, "postgres-tls-stand-in");
            t.setDaemon(true);
            t.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket plain = socket.accept()) {
                    answer(plain);
                } catch (IOException e) {
                    firstAttempt.complete(false);
                }
            }
        }

        private void answer(Socket plain) throws IOException {
            DataInputStream in = new DataInputStream(plain.getInputStream());
            while (true) {
                int length = in.readInt();
                int code = in.readInt();
                if (length != 8 || (code != SSL_REQUEST && code != GSSENC_REQUEST)) {
                    throw new IOException("not an SSLRequest: length " + length + ", code " + code);
                }
                if (code == GSSENC_REQUEST) {
                    plain.getOutputStream().write('N');
                    continue;
                }
                plain.getOutputStream().write('S');
                plain.getOutputStream().flush();
                try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, false)) {
                    s.setUseClientMode(false);
                    s.startHandshake();
                    // The driver checks the host name only after the handshake; a client that accepted the
                    // server goes on with its startup message (its user name), one that refused hangs up.
                    s.setSoTimeout(5000);
                    if (s.getInputStream().read() >= 0) {
                        startup.complete(true);
                    }
                    firstAttempt.complete(true);
                }
                return;
            }
        }

        String url(String host, String sslmode, Path rootCert) {
            return "jdbc:postgresql://" + host + ":" + socket.getLocalPort() + "/rota?sslmode=" + sslmode
                    + "&sslrootcert=" + rootCert + "&connectTimeout=2";
        }

        /**
         * Whether a client accepted the certificate and sent its startup message over TLS; waits for at
         * least one attempt.
         */
        boolean anyClientWentOn() throws Exception {
            firstAttempt.get(10, TimeUnit.SECONDS);
            return startup.isDone();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
