package dev.rota.messaging;

import dev.rota.model.Topology;
import java.util.List;

/**
 * The least RabbitMQ permissions of masters and workers in one namespace, as the three regular
 * expressions {@code rabbitmqctl set_permissions} takes (configure, write, read). Publishing needs
 * write on the exchange, consuming read on the queue, binding write on the queue and read on the
 * exchange, declaring configure on what is declared.
 *
 * <ul>
 *   <li>A master may do anything with the namespace's exchanges and queues, and publish through the
 *       default exchange (it parks dead letters with it).</li>
 *   <li>A worker may declare and consume task queues, bind its own server-named control queue
 *       ({@code amq.gen-*}) to the control exchange, and publish to the results exchange. It cannot
 *       publish tasks, cancel requests, events, or anything into the dead-letter or parked queues:
 *       those go through exchanges it has no write permission on.</li>
 * </ul>
 *
 * @param configure regex of what may be declared and deleted
 * @param write     regex of what may be published to (exchanges) or bound to (queues)
 * @param read      regex of what may be consumed (queues) or bound from (exchanges)
 */
public record BrokerPermissions(String configure, String write, String read) {

    public static BrokerPermissions master(Topology topology) {
        String ns = "^" + quote(prefix(topology)) + ".*";
        return new BrokerPermissions(ns, "^(" + quote(prefix(topology)) + ".*|amq\\.default)$", ns);
    }

    public static BrokerPermissions worker(Topology topology) {
        String p = quote(prefix(topology));
        String taskQueues = p + "task\\..*";
        String serverNamed = "amq\\.gen-.*";
        return new BrokerPermissions(
                "^(" + taskQueues + "|" + serverNamed + ")$",
                "^(" + p + "results|" + taskQueues + "|" + serverNamed + ")$",
                "^(" + taskQueues + "|" + p + "tasks|" + p + "control|" + serverNamed + ")$");
    }

    /** The arguments of {@code rabbitmqctl set_permissions} for {@code user} in {@code vhost}. */
    public List<String> rabbitmqctlArguments(String vhost, String user) {
        return List.of("set_permissions", "-p", vhost, user, configure, write, read);
    }

    private static String prefix(Topology topology) {
        return "rota." + topology.namespace() + ".";
    }

    private static String quote(String literal) {
        return literal.replace(".", "\\.");
    }
}
