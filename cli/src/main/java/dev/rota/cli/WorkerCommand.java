package dev.rota.cli;

import dev.rota.metrics.MetricsConfig;
import dev.rota.metrics.MetricsServer;
import dev.rota.metrics.WorkerMetrics;
import dev.rota.worker.Worker;
import dev.rota.worker.WorkerBuilder;
import dev.rota.worker.WorkerConfig;
import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rota worker}: runs one worker node until SIGTERM or SIGINT. */
@Command(name = "worker",
        header = "Run a worker until stopped (SIGTERM or Ctrl-C).",
        description = {
            "Joins the namespace through ZooKeeper, where it learns the RabbitMQ address and limits the masters"
                + " published, then consumes the queues of its task types and runs their handlers. It needs"
                + " neither PostgreSQL nor the broker address.",
            "",
            "Built-in task types: noop, log ({\"message\": \"...\"}), sleep ({\"millis\": 500}) and"
                + " fail ({\"message\": \"...\"}). More come from TaskHandlerProvider jars given with --handlers.",
            "",
            "On SIGTERM the worker stops taking tasks, lets running ones finish within --grace (the rest are"
                + " interrupted and redelivered elsewhere), deregisters and exits."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rota worker",
            "  rota worker --id worker-1 --task-types log,sleep --capacity 8 --grace 1m",
            "  rota worker --handlers /opt/rota/reports.jar --task-types report",
            "  ROTA_AMQP_PASSWORD_FILE=/run/secrets/amqp rota worker --amqp-user rota-worker"})
final class WorkerCommand implements Callable<Integer>, RotaCommand.ServerCommand {
    /** Beyond the grace, close waits a few seconds for interrupted handlers and the broker. */
    private static final Duration CLEANUP_MARGIN = Duration.ofSeconds(15);

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--id", paramLabel = "ID", description = "Unique worker id (default: <host>-<pid>-<random>).")
    private String id;

    @Option(names = "--task-types", paramLabel = "TYPE", split = ",",
            description = "Task types to consume, comma-separated (default: every type that has a handler).")
    private List<String> taskTypes;

    @Option(names = "--capacity", paramLabel = "N", defaultValue = "" + WorkerConfig.DEFAULT_CAPACITY,
            description = "Tasks run at once (default: ${DEFAULT-VALUE}).")
    private int capacity;

    @Option(names = "--prefetch", paramLabel = "N",
            description = "Deliveries each task queue consumer may hold unacknowledged, at least the capacity"
                    + " (default: the capacity). More keeps tasks at hand while results await the broker's confirm,"
                    + " but lets a busy worker hold tasks an idle one could run, and delay a dead worker's"
                    + " redelivered tasks past its grace, so that they may run twice.")
    private Integer prefetch;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "30s",
            description = "On shutdown, how long running tasks may take to finish (default: ${DEFAULT-VALUE}).")
    private Duration grace;

    @Option(names = "--settings-timeout", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to wait for a master to publish the cluster settings (default: ${DEFAULT-VALUE}).")
    private Duration settingsTimeout;

    @Option(names = "--handlers", paramLabel = "JAR_OR_DIR", split = ",",
            description = "Jars or class directories holding TaskHandlerProvider implementations,"
                    + " each listed in a META-INF/services file.")
    private List<File> handlerPaths = new ArrayList<>();

    @Mixin
    private ZooKeeperOptions zk;

    @Mixin
    private WorkerBrokerOptions broker;

    @Env("ROTA_METRICS_PORT")
    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /metrics (Prometheus) and /health/live, /health/ready on this port, without"
                    + " authentication; 0 picks a free one (env ROTA_METRICS_PORT; default: not served).")
    private Integer metricsPort;

    @Env("ROTA_METRICS_HOST")
    @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = MetricsServer.DEFAULT_HOST,
            description = "Address the metrics port binds (env ROTA_METRICS_HOST; default: ${DEFAULT-VALUE}).")
    private String metricsHost;

    private final WorkerMetrics metrics = new WorkerMetrics(MetricsConfig.DEFAULTS, new WorkerEventLog());

    @Override
    public Integer call() throws InterruptedException {
        Worker worker = build();
        metrics.bind(worker);
        try (StopSignal stop = StopSignal.install("rota-worker-shutdown", grace.plus(CLEANUP_MARGIN));
                MetricsServer served = serveMetrics()) {
            try {
                if (served != null) {
                    spec.commandLine().getOut().printf("worker %s serves metrics at http://%s:%d/metrics%n", worker.id(),
                            metricsHost, served.port());
                }
                worker.start();
                spec.commandLine().getOut().printf("worker %s consuming %s in %s%n", worker.id(),
                        worker.config().taskTypes(), zk.describe());
                spec.commandLine().getOut().flush();
                stop.await();
            } finally {
                worker.close();
            }
        }
        return 0;
    }

    /** Started before the worker, so that readiness says "not yet" while it joins. */
    private MetricsServer serveMetrics() {
        if (metricsPort == null) {
            return null;
        }
        try {
            return MetricsServer.start(metrics, metricsHost, metricsPort);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-port: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new CommandFailedException(e.getMessage(), e);
        }
    }

    private Worker build() {
        try {
            WorkerBuilder builder = new WorkerBuilder().zkConnect(zk.connectString()).namespace(zk.namespace())
                    .zkSessionTimeout(zk.sessionTimeout()).capacity(capacity).shutdownGrace(grace)
                    .settingsTimeout(settingsTimeout).listener(metrics);
            if (prefetch != null) {
                builder.prefetch(prefetch);
            }
            if (id != null) {
                builder.workerId(id);
            }
            if (zk.auth() != null) {
                builder.zkAuth(dev.rota.registry.ZkAuth.forWorker(zk.auth().worker()));
            }
            if (zk.tls() != null) {
                builder.zkTls(zk.tls());
            }
            if (broker.credentials() != null) {
                builder.brokerCredentials(broker.credentials());
            }
            if (taskTypes != null) {
                builder.taskTypes(new LinkedHashSet<>(taskTypes));
            }
            if (!handlerPaths.isEmpty()) {
                builder.handlerClassLoader(handlerClassLoader());
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private ClassLoader handlerClassLoader() {
        List<URL> urls = new ArrayList<>();
        for (File path : handlerPaths) {
            if (!path.exists()) {
                throw new IllegalArgumentException("--handlers: " + path + " does not exist");
            }
            try {
                urls.add(path.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--handlers: " + path + " is not a usable path: " + e.getMessage(), e);
            }
        }
        return new URLClassLoader("rota-handlers", urls.toArray(URL[]::new), WorkerCommand.class.getClassLoader());
    }
}
