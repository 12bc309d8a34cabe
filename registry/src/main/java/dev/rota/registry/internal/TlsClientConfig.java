package dev.rota.registry.internal;

import dev.rota.registry.ZkTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * The ZooKeeper client settings for {@link ZkTls}, given to this registry's client alone (never set as
 * system properties), and a diagnosis for when the TLS connection does not come up: ZooKeeper's client
 * only logs a failed handshake and keeps retrying, so the registry repeats the handshake itself to say why.
 */
final class TlsClientConfig {
    private TlsClientConfig() {
    }

    static ZKClientConfig of(ZkTls tls) {
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        try (ClientX509Util x509 = new ClientX509Util()) {
            config.setProperty(x509.getSslTruststoreLocationProperty(), tls.trustStore().toString());
            config.setProperty(x509.getSslTruststorePasswdProperty(),
                    tls.trustStorePassword() == null ? "" : tls.trustStorePassword());
            config.setProperty(x509.getSslHostnameVerificationEnabledProperty(), "true");
        }
        return config;
    }

    /**
     * Why a TLS handshake with the first server of {@code connectString} fails, checking the trust chain
     * and the host name as ZooKeeper's client does; empty when it succeeds or cannot be tried.
     */
    static String diagnose(ZkTls tls, String connectString, Duration timeout) {
        String first = connectString.split(",")[0].strip();
        int slash = first.indexOf('/');
        if (slash >= 0) {
            first = first.substring(0, slash);
        }
        int colon = first.lastIndexOf(':');
        if (colon < 1) {
            return "";
        }
        String host = first.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(first.substring(colon + 1));
        } catch (NumberFormatException e) {
            return "";
        }
        try {
            KeyStore trust = load(tls);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
                socket.connect(new InetSocketAddress(host, port), millis);
                socket.setSoTimeout(millis);
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(params);
                socket.startHandshake();
                return "";
            }
        } catch (IOException e) {
            return "; TLS handshake with " + host + ":" + port + " (trust store " + tls.trustStore() + ") failed: "
                    + rootMessage(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            return "; cannot read the trust store " + tls.trustStore() + ": " + rootMessage(e);
        }
    }

    /** The trust store as ZooKeeper reads it: PEM by its file name, else PKCS12 or JKS by its content. */
    private static KeyStore load(ZkTls tls) throws IOException, GeneralSecurityException {
        if (!tls.trustStore().getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".pem")) {
            return KeyStore.getInstance(tls.trustStore().toFile(),
                    tls.trustStorePassword() == null ? null : tls.trustStorePassword().toCharArray());
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(tls.trustStore())) {
            int i = 0;
            for (java.security.cert.Certificate c : java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
        }
        return trust;
    }

    private static String rootMessage(Throwable t) {
        String message = t.getMessage();
        for (Throwable c = t.getCause(); c != null && c != t; t = c, c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return message;
    }
}
