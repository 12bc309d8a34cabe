package dev.rota.cli.demo;

import dev.rota.db.DatabaseConfig;
import dev.rota.model.Names;
import java.util.Objects;

/**
 * What the demo runs against: the local PostgreSQL (a dedicated schema, wiped at start) and RabbitMQ
 * (a dedicated namespace, whose queues are deleted at start). ZooKeeper is embedded.
 *
 * @param database  the demo schema; its name must contain "demo", since the demo drops it
 * @param namespace Rota namespace of the demo's masters, workers and queues
 * @param amqpUri   the broker, with credentials
 * @param hardened  whether to run with ZooKeeper ACLs and separate broker users ({@link DemoSecurity})
 */
public record DemoSettings(DatabaseConfig database, String namespace, String amqpUri, boolean hardened) {
    public DemoSettings {
        Objects.requireNonNull(database, "database");
        if (!database.schema().contains("demo")) {
            throw new IllegalArgumentException("the demo drops and recreates its schema, so its name must contain"
                    + " 'demo'; '" + database.schema() + "' does not");
        }
        Names.requireValid("namespace", namespace);
        Objects.requireNonNull(amqpUri, "amqpUri");
    }
}
