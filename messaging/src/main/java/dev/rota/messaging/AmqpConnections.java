package dev.rota.messaging;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
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
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid AMQP URI '" + redact(uri) + "': " + e.getMessage(), e);
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

    /** The URI with its credentials masked, for logs and error messages. */
    public static String redact(String uri) {
        return uri == null ? null : uri.replaceAll("//[^@/]*@", "//***@");
    }
}
