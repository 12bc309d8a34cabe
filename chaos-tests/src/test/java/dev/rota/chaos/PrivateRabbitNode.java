package dev.rota.chaos;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of the scenario's own ({@code rabbitmq-server} with its own node name, ports and data
 * directory under /tmp), so that stopping the broker disturbs nobody else on the machine and nobody
 * else's broker faults disturb the scenario. About eight seconds to boot on two cores.
 */
public final class PrivateRabbitNode implements AutoCloseable {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private final String nodeName = "chaos-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    private final Path dir;
    private final int amqpPort;
    private final Process process;

    private PrivateRabbitNode(Path log) throws IOException {
        dir = Files.createTempDirectory("chaos-rabbit-");
        Files.createDirectories(dir.resolve("mnesia"));
        Files.createDirectories(dir.resolve("log"));
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        // The Debian wrapper runs the node as the rabbitmq user, which must own its directories.
        run("chown", "-R", "rabbitmq:rabbitmq", dir.toString());
        amqpPort = freePort();
        int distPort = freePort();
        ProcessBuilder pb = new ProcessBuilder("rabbitmq-server").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_NODE_PORT", Integer.toString(amqpPort));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("none").toString());
        process = pb.start();
    }

    /** Whether {@code rabbitmq-server} and {@code rabbitmqctl} are on the PATH. */
    public static boolean available() {
        return Stream.of("rabbitmq-server", "rabbitmqctl").allMatch(cmd -> run("sh", "-c", "command -v " + cmd) == 0);
    }

    /** Boots a node, logging to {@code log}, and waits until it accepts AMQP connections. */
    public static PrivateRabbitNode start(Path log) {
        PrivateRabbitNode node;
        try {
            Files.createDirectories(log.getParent());
            node = new PrivateRabbitNode(log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a private RabbitMQ node", e);
        }
        try {
            node.awaitAccepting();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public String nodeName() {
        return nodeName;
    }

    public String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + amqpPort + "/%2F";
    }

    void awaitAccepting() {
        await("private RabbitMQ node " + nodeName + " accepting connections").atMost(BOOT_TIMEOUT)
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                    ConnectionFactory f = new ConnectionFactory();
                    f.setUri(amqpUri());
                    f.setConnectionTimeout(2_000);
                    try (Connection c = f.newConnection("chaos-probe")) {
                        return c.isOpen();
                    }
                });
    }

    /** Stops the node ({@code rabbitmqctl stop}), kills what is left of its process tree, removes its data. */
    @Override
    public void close() {
        run("rabbitmqctl", "-n", nodeName, "stop");
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp files; the OS cleans /tmp
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
