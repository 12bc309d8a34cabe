package dev.rota.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Throwaway TLS certificates for tests, made with the JDK's own {@code keytool} in a folder the test owns
 * (a JUnit {@code @TempDir}), so that a TLS test needs no certificate files in the repository and leaves
 * the shared servers as they are. Each key pair is a self-signed EC certificate valid for two days; every
 * store is PKCS12 with the password {@link #PASSWORD}.
 */
public final class TestCertificates {
    /** The password of every key store, key and trust store made here. */
    public static final String PASSWORD = "changeit";

    private static final String ALIAS = "key";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path dir;

    /** @param dir where the stores and certificates are written; the caller deletes it */
    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * A new key store holding one key pair.
     *
     * @param name  a prefix for the file name
     * @param dname the certificate's subject, e.g. {@code CN=localhost}
     * @param san   keytool's extension for the subject alternative names, e.g.
     *              {@code SAN=ip:127.0.0.1,dns:localhost}
     */
    public Path keyPair(String name, String dname, String san) throws IOException {
        Path file = dir.resolve(name + "-" + System.nanoTime() + ".p12");
        keytool("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-ext", san, "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return file;
    }

    /** The PEM certificate of the key pair in {@code keyStore} (as PostgreSQL's {@code sslrootcert} wants it). */
    public Path certificateOf(Path keyStore) throws IOException {
        Path cert = dir.resolve("cert-" + System.nanoTime() + ".pem");
        keytool("-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", cert.toString());
        return cert;
    }

    /** A PKCS12 trust store holding only the certificate of the key pair in {@code keyStore}. */
    public Path trustStoreOf(Path keyStore) throws IOException {
        Path cert = certificateOf(keyStore);
        Path trust = dir.resolve("trust-" + System.nanoTime() + ".p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", cert.toString(), "-keystore", trust.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        return trust;
    }

    /** Reads a store written here. */
    public static KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return keys;
    }

    /** A server-side TLS context presenting the key pair in {@code keys}, for a stand-in server. */
    public static SSLContext serverContext(KeyStore keys) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while keytool " + args[0] + " ran", e);
        }
    }
}
