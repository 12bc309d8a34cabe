package dev.rota.chaos;

import dev.rota.chaos.ChaosNode.Role;
import dev.rota.testsupport.TcpProxy;
import dev.rota.testsupport.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Describes chaos nodes: the child JVM command ({@link ChaosNodeMain} on the test class path, small
 * heap, C1 only, since two cores run everything) and the {@code ROTA_*} environment the CLI also reads,
 * with ZooKeeper reached through per-node {@link TcpProxy proxies} and PostgreSQL connections named
 * after the node so that they can be found and terminated.
 *
 * @param workerTaskTypes task types workers consume
 */
record NodeLauncher(String namespace, TestServers.Postgres postgres, String amqpUri, ZooKeeperEnsemble zk,
        Duration sessionTimeout, List<String> workerTaskTypes, int workerCapacity, Path logDir) {

    /** The PostgreSQL application name of a node's connections. */
    String applicationName(String nodeName) {
        return namespace + "-" + nodeName;
    }

    /** A node that is not started yet, with a fresh proxy per ZooKeeper server. */
    ChaosNode create(String name, Role role) {
        List<TcpProxy> proxies = new ArrayList<>();
        for (int i = 0; i < zk.size(); i++) {
            try {
                proxies.add(new TcpProxy(name + "-zk" + (i + 1), zk.address(i)));
            } catch (IOException e) {
                proxies.forEach(TcpProxy::close);
                throw new IllegalStateException("cannot open a ZooKeeper proxy for " + name, e);
            }
        }
        Map<String, String> env = new HashMap<>();
        env.put("ROTA_ZK", proxies.stream().map(TcpProxy::address).collect(Collectors.joining(",")));
        env.put("ROTA_NAMESPACE", namespace);
        env.put("ROTA_DB_URL", ChaosDatabase.withApplicationName(postgres.url(), applicationName(name)));
        env.put("ROTA_DB_USER", postgres.user());
        env.put("ROTA_DB_PASSWORD", postgres.password());
        env.put("ROTA_DB_SCHEMA", namespace);
        env.put("ROTA_AMQP_URI", amqpUri);
        env.put("ROTA_ZK_SESSION_TIMEOUT", sessionTimeout.toString());
        env.put("ROTA_NODE_ID", name);
        env.put("ROTA_TASK_TYPES", String.join(",", workerTaskTypes));
        env.put("ROTA_CAPACITY", Integer.toString(workerCapacity));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-Dchaos.node=" + name, "-Dlogback.configurationFile=chaos-logback.xml",
                "-cp", classPath(), ChaosNodeMain.class.getName(), role.name().toLowerCase(), name);
        return new ChaosNode(name, role, command, env, logDir.resolve(name + ".log"), proxies);
    }

    /** Surefire's test class path (java.class.path may be a manifest-only jar there). */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
