package dev.rota.chaos;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.rota.model.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ broker as the harness sees it: stop and start the local node's application with
 * {@code rabbitmqctl} (this affects every user of the machine's broker, so callers restart it in a
 * {@code finally}), and remove a namespace's queues and exchanges after a scenario.
 */
public final class BrokerControl {
    private static final Logger log = LoggerFactory.getLogger(BrokerControl.class);
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String amqpUri;
    private final String nodeName;

    /**
     * @param nodeName the node {@code rabbitmqctl} controls ({@code -n}), or null for the machine's
     *                 default node
     */
    BrokerControl(String amqpUri, String nodeName) {
        this.amqpUri = amqpUri;
        this.nodeName = nodeName;
    }

    public void stopApp() {
        Result r = rabbitmqctl("stop_app");
        if (!r.ok()) {
            throw new IllegalStateException("rabbitmqctl stop_app failed: " + r.output());
        }
    }

    /** Starts the application and waits until the broker accepts AMQP connections. */
    public void startApp() {
        Result r = rabbitmqctl("start_app");
        if (!r.ok()) {
            log.warn("rabbitmqctl start_app failed ({}); waiting for the broker anyway", r.output());
        }
        await("RabbitMQ accepting connections").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    try (Connection c = connect()) {
                        return c.isOpen();
                    }
                });
    }

    /** Deletes the namespace's queues and exchanges; failures are only logged. */
    public void deleteNamespace(String namespace, Set<String> taskTypes) {
        Topology t = new Topology(namespace);
        List<String> queues = new ArrayList<>(List.of(t.resultsQueue(), t.deadLetterQueue(), t.parkedQueue()));
        taskTypes.forEach(type -> queues.add(t.taskQueue(type)));
        List<String> exchanges = List.of(t.taskExchange(), t.controlExchange(), t.eventsExchange(), t.deadLetterExchange());
        try (Connection c = connect()) {
            for (String q : queues) {
                delete(c, ch -> ch.queueDelete(q));
            }
            for (String x : exchanges) {
                delete(c, ch -> ch.exchangeDelete(x));
            }
        } catch (Exception e) {
            log.warn("cannot remove the RabbitMQ objects of {}: {}", namespace, e.toString());
        }
    }

    /**
     * Publishes {@code body} to {@code queue} through the default exchange from the harness's own
     * connection (a client that is neither a master nor a worker), and waits for the broker's confirm.
     */
    public void publishToQueue(String queue, byte[] body) {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            ch.basicPublish("", queue, true, new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(2).build(), body);
            ch.waitForConfirmsOrDie(10_000);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + queue + ": " + e, e);
        }
    }

    /** Messages ready in a queue, or -1 when it does not exist. */
    public long messageCount(String queue) {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Messages in a queue including those delivered but not yet acknowledged (ready plus unacked), from
     * {@code rabbitmqctl list_queues}; -1 when the queue does not exist or the command fails.
     */
    public long queueDepth(String queue) {
        Result r = rabbitmqctl("list_queues", "-q", "--no-table-headers", "name", "messages");
        if (!r.ok()) {
            return -1;
        }
        for (String line : r.output().split("\\R")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[0].equals(queue)) {
                return Long.parseLong(cols[1]);
            }
        }
        return -1;
    }

    private interface ChannelCall {
        void run(Channel ch) throws IOException;
    }

    private static void delete(Connection c, ChannelCall call) {
        try (Channel ch = c.createChannel()) {
            call.run(ch);
        } catch (Exception e) {
            // absent already
        }
    }

    Connection connect() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(amqpUri);
        f.setAutomaticRecoveryEnabled(false);
        f.setConnectionTimeout(3_000);
        return f.newConnection("chaos-harness");
    }

    private record Result(boolean ok, String output) {
    }

    private Result rabbitmqctl(String... args) {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl"));
        if (nodeName != null) {
            command.addAll(List.of("-n", nodeName));
        }
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
                return new Result(false, "timed out: " + out);
            }
            return new Result(p.exitValue() == 0, out);
        } catch (IOException e) {
            return new Result(false, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "interrupted");
        }
    }
}
