package dev.rota.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Owns the scenario's {@link ChaosCluster}: when the test fails (or the cluster fails to start) it
 * prints the checker report, the fault timeline and the tail of every node's log, and writes them to
 * {@code target/chaos-logs/<scenario>/FAILURE.txt}; after each test it closes the cluster.
 *
 * <pre>{@code
 * @RegisterExtension final ChaosExtension chaos = new ChaosExtension();
 * ChaosCluster cluster = chaos.start(ChaosCluster.builder("leader-sigkill").masters(2).workers(2));
 * }</pre>
 */
public final class ChaosExtension implements AfterTestExecutionCallback, AfterEachCallback {
    private ChaosCluster cluster;

    public ChaosCluster start(ChaosCluster.Builder builder) {
        if (cluster != null) {
            throw new IllegalStateException("one cluster per test: " + cluster.scenario() + " is already started");
        }
        cluster = builder.build();
        return cluster.start();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (cluster == null || context.getExecutionException().isEmpty()) {
            return;
        }
        String diagnostics = cluster.diagnostics();
        System.out.println(diagnostics);
        Path file = Path.of(System.getProperty("chaos.logDir", "target/chaos-logs"), cluster.scenario(), "FAILURE.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, diagnostics, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.out.println("(cannot write " + file + ": " + e + ")");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (cluster != null) {
            try {
                cluster.close();
            } finally {
                cluster = null;
            }
        }
    }
}
