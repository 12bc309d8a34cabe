package dev.rota.messaging;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.rota.model.Credentials;
import java.io.IOException;
import javax.net.ssl.SSLContext;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Opens RabbitMQ connections the way every Rota component wants them. */
public final class AmqpConnections {
    /** How long to wait between attempts to recover a dropped connection. */
    public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);

    private AmqpConnections() {
    }

    /**
     * Opens a connection with automatic recovery of the connection and its topology, so that consumers
     * resume by themselves after a broker restart. Publishers must still treat confirms outstanding
     * when the connection dropped as failed; {@link ConfirmingPublisher} does.
     *
     * @param uri  e.g. {@code amqp://guest:guest@127.0.0.1:5672/%2F}
     * @param name connection name shown in the RabbitMQ management UI
     * @throws IllegalArgumentException when the URI is malformed
     * @throws IOException when the broker cannot be reached
     */
    public static Connection open(String uri, String name) throws IOException {
        return open(uri, name, null);
    }

    /**
     * As {@link #open(String, String)}; an {@code amqps://} URI uses TLS that verifies the broker's
     * certificate chain against {@code trust} and its host name against the URI's host, and refuses the
     * connection otherwise.
     *
     * @param trust the trusted certificates; null for the JVM's ({@code javax.net.ssl.trustStore}, else
     *              the JDK's {@code cacerts})
     */
    public static Connection open(String uri, String name, SSLContext trust) throws IOException {
        ConnectionFactory factory = factory(uri);
        if (factory.isSSL()) {
            // setUri alone turns on TLS that trusts every certificate and checks no host name.
            try {
                factory.useSslProtocol(trust != null ? trust : SSLContext.getDefault());
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot set up TLS for " + redact(uri) + ": " + e.getMessage(), e);
            }
            factory.enableHostnameVerification();
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(DEFAULT_RECOVERY_INTERVAL.toMillis());
        factory.setRequestedHeartbeat(10);
        factory.setConnectionTimeout(10_000);
        try {
            return factory.newConnection(name);
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to " + redact(uri), e);
        }
    }

    /**
     * The user a connection to {@code uri} authenticates as: the URI's user, or RabbitMQ's default
     * {@code guest} when it names none.
     */
    public static String user(String uri) {
        return factory(uri).getUsername();
    }

    /** The virtual host of {@code uri} ({@code /} when it names none). */
    public static String virtualHost(String uri) {
        return factory(uri).getVirtualHost();
    }

    /** {@code uri} with its user and password replaced by {@code credentials} (percent-encoded). */
    public static String withCredentials(String uri, Credentials credentials) {
        java.net.URI parsed = parse(uri);
        String userInfo = encode(credentials.user()) + ":" + encode(credentials.password());
        return parsed.getScheme() + "://" + userInfo + "@" + hostPart(parsed) + rawRest(parsed);
    }

    /** {@code uri} without user and password: what may be published where others can read it. */
    public static String withoutCredentials(String uri) {
        java.net.URI parsed = parse(uri);
        return parsed.getScheme() + "://" + hostPart(parsed) + rawRest(parsed);
    }

    private static java.net.URI parse(String uri) {
        try {
            java.net.URI parsed = new java.net.URI(uri);
            if (parsed.getScheme() == null || parsed.getHost() == null) {
                throw new URISyntaxException(uri, "scheme and host are required");
            }
            return parsed;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid AMQP URI '" + redact(uri) + "': " + e.getMessage(), e);
        }
    }

    private static String hostPart(java.net.URI u) {
        String host = u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost();
        return u.getPort() < 0 ? host : host + ":" + u.getPort();
    }

    private static String rawRest(java.net.URI u) {
        return (u.getRawPath() == null ? "" : u.getRawPath()) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static ConnectionFactory factory(String uri) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid AMQP URI '" + redact(uri) + "': " + e.getMessage(), e);
        }
        return factory;
    }

    /** The URI with its credentials masked, for logs and error messages. */
    public static String redact(String uri) {
        return uri == null ? null : uri.replaceAll("//[^@/]*@", "//***@");
    }
}
