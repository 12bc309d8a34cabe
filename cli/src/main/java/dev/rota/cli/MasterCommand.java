package dev.rota.cli;

import dev.rota.master.Master;
import dev.rota.http.ApiServerConfig;
import dev.rota.master.MasterBuilder;
import dev.rota.metrics.MasterMetrics;
import dev.rota.metrics.MetricsConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rota master}: runs one scheduler master until SIGTERM or SIGINT. */
@Command(name = "master",
        header = "Run a scheduler master until stopped (SIGTERM or Ctrl-C).",
        description = {
            "Migrates the database schema, registers in ZooKeeper, publishes the cluster settings workers join"
                + " with, and competes for leadership. The leader fires the jobs and dispatches tasks; the"
                + " others stand by and take over when it goes away. Run two or more for failover.",
            "",
            "On SIGTERM the master leaves the election (another one takes over at once) and disconnects."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rota master --id master-1",
            "  rota master --http-port 8080       also serves the API, /metrics, /health/*",
            "  ROTA_ZK=zk1:2181,zk2:2181 \\",
            "  ROTA_DB_URL=jdbc:postgresql://db:5432/rota ROTA_DB_PASSWORD=secret \\",
            "  ROTA_AMQP_URI=amqp://rota:secret@mq:5672/%%2F rota master"})
final class MasterCommand implements Callable<Integer>, RotaCommand.ServerCommand {
    /** Closing a master stops its term within a few seconds; the hook waits a little longer. */
    private static final Duration CLEANUP_WAIT = Duration.ofSeconds(20);

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--id", paramLabel = "ID",
            description = "Unique master id (default: master-<host>-<pid>-<random>).")
    private String id;

    @Option(names = "--address", paramLabel = "HOST",
            description = "Where operators can reach this master, shown by 'rota cluster status' (default: host name).")
    private String address;

    @Mixin
    private ZooKeeperOptions zk;

    @Mixin
    private DatabaseOptions database;

    @Mixin
    private AmqpOptions amqp;

    @Mixin
    private ClusterOptions cluster;

    @Env("ROTA_SEPARATE_BROKER_USERS")
    @Option(names = "--separate-broker-users", paramLabel = "true|false", defaultValue = "false", arity = "0..1",
            description = "Workers connect to RabbitMQ as their own users (rota worker --amqp-user): the settings"
                    + " published in ZooKeeper then carry the broker address without credentials"
                    + " (env ROTA_SEPARATE_BROKER_USERS; default: ${DEFAULT-VALUE}).")
    private boolean separateBrokerUsers;

    @Mixin
    private HttpOptions http;

    private MasterMetrics metrics;

    @Override
    public Integer call() throws InterruptedException {
        Master master = build();
        ApiServerConfig api = http.config();
        try (StopSignal stop = StopSignal.install("rota-master-shutdown", CLEANUP_WAIT); MasterMetrics observed = metrics) {
            try {
                master.start();
                if (api != null) {
                    // the gauges' refresh and the database check run only where someone can read them
                    observed.start(master);
                }
                try (MasterApi served = api == null ? null : MasterApi.start(master, api, observed)) {
                    if (served != null) {
                        spec.commandLine().getOut().printf("master %s serves the API at %s/api/v1%s%n", master.id(),
                                served.url(), api.insecureLocal() ? " (insecure-local: no tokens, loopback only)" : "");
                        spec.commandLine().getOut().flush();
                    }
                    stop.await();
                }
            } finally {
                master.close();
            }
        }
        return 0;
    }

    private Master build() {
        try {
            var registry = zk.config();
            MasterBuilder builder = Master.builder().registry(registry).database(database.config())
                    .cluster(cluster.settings(amqp.uri(), registry.namespace()))
                    .separateBrokerUsers(separateBrokerUsers);
            if (id != null) {
                builder.masterId(id);
            }
            if (address != null) {
                builder.address(address);
            }
            metrics = new MasterMetrics(MetricsConfig.DEFAULTS, new MasterEventLog(builder.config().masterId()));
            return builder.listener(metrics).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
