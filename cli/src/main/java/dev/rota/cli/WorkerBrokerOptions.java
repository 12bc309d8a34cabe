package dev.rota.cli;

import dev.rota.model.Credentials;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * A worker's own RabbitMQ user, for clusters whose masters publish the broker address without
 * credentials ({@code rota master --separate-broker-users}). The password comes from the environment or
 * a file, never from the command line.
 */
public final class WorkerBrokerOptions {
    @Env("ROTA_AMQP_USER")
    @Option(names = "--amqp-user", paramLabel = "USER",
            description = "The worker's own RabbitMQ user; its password is in env ROTA_AMQP_PASSWORD or the file"
                    + " --amqp-password-file (env ROTA_AMQP_USER; default: the credentials masters publish).")
    String user;

    @Env("ROTA_AMQP_PASSWORD")
    @Option(names = "--amqp-password", paramLabel = "PASSWORD", hidden = true,
            description = "Refused on the command line: set ROTA_AMQP_PASSWORD or use --amqp-password-file.")
    String password;

    @Env("ROTA_AMQP_PASSWORD_FILE")
    @Option(names = "--amqp-password-file", paramLabel = "FILE",
            description = "File holding the password of --amqp-user (env ROTA_AMQP_PASSWORD_FILE).")
    Path passwordFile;

    /** The worker's credentials, or null to use what the masters publish. */
    public Credentials credentials() {
        if (user == null || user.isBlank()) {
            return null;
        }
        String secret = Secrets.fromFileOr("--amqp-password-file", passwordFile, password);
        return new Credentials(user, secret == null ? "" : secret);
    }
}
