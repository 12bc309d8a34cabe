package dev.rota.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Adjusts logback/logback.xml for the kind of command running. Servers ({@code master}, {@code worker})
 * keep logback.xml: INFO for Rota, WARN for libraries. Admin commands and the demo speak through their
 * own output, so their library logs are silenced unless {@code --verbose} asks for them: an unreachable
 * ZooKeeper must give one line, not a page of client retries.
 */
final class LogLevels {
    private static final String[] NOISY = {"org.apache.zookeeper", "org.apache.curator", "com.zaxxer", "org.flywaydb",
        "org.quartz", "org.jooq", "com.rabbitmq"};

    private LogLevels() {
    }

    /** Keeps Rota's warnings and errors, drops its INFO lines and everything the libraries say. */
    static void quiet() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
        context.getLogger("dev.rota").setLevel(Level.WARN);
        for (String name : NOISY) {
            context.getLogger(name).setLevel(Level.OFF);
        }
    }
}
