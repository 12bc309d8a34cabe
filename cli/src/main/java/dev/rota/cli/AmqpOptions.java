package dev.rota.cli;

import picocli.CommandLine.Option;

/** The RabbitMQ broker; only masters need it, workers learn it from ZooKeeper. */
public final class AmqpOptions {
    /** The local broker's default address; also shown in help instead of a possibly secret value. */
    public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F";

    @Env("ROTA_AMQP_URI")
    @Option(names = "--amqp-uri", paramLabel = "URI", defaultValue = DEFAULT_URI,
            showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "RabbitMQ URI with credentials; published to workers through ZooKeeper"
                    + " (env ROTA_AMQP_URI; default: amqp://guest:guest@127.0.0.1:5672/%%2F).")
    String uri;

    public String uri() {
        return uri;
    }
}
