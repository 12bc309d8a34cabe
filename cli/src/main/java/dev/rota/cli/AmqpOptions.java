package dev.rota.cli;

import dev.rota.messaging.AmqpConnections;
import dev.rota.model.Credentials;
import picocli.CommandLine.Option;

/** The RabbitMQ broker; only masters need it, workers learn it from ZooKeeper. */
public final class AmqpOptions {
    /** The local broker's default address; also shown in help instead of a possibly secret value. */
    public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F";

    @Env("ROTA_AMQP_URI")
    @Option(names = "--amqp-uri", paramLabel = "URI", defaultValue = DEFAULT_URI,
            showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "RabbitMQ URI; with credentials only in the environment, never on the command line"
                    + " (env ROTA_AMQP_URI; default: amqp://guest:guest@127.0.0.1:5672/%%2F).")
    String uri;

    @Env("ROTA_AMQP_PASSWORD")
    @Option(names = "--amqp-password", paramLabel = "PASSWORD", hidden = true,
            description = "Refused on the command line: set ROTA_AMQP_PASSWORD or use --amqp-password-file.")
    String password;

    @Env("ROTA_AMQP_PASSWORD_FILE")
    @Option(names = "--amqp-password-file", paramLabel = "FILE",
            description = "File holding the RabbitMQ password; replaces the one in the URI"
                    + " (env ROTA_AMQP_PASSWORD_FILE, or the password itself in env ROTA_AMQP_PASSWORD).")
    java.nio.file.Path passwordFile;

    /** The URI, with the password from the environment or the password file when one is given. */
    public String uri() {
        String secret = Secrets.fromFileOr("--amqp-password-file", passwordFile, password);
        if (secret == null || secret.isEmpty()) {
            return uri;
        }
        return AmqpConnections.withCredentials(uri, new Credentials(AmqpConnections.user(uri), secret));
    }
}
