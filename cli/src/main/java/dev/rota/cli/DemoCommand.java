package dev.rota.cli;

import dev.rota.cli.demo.Demo;
import dev.rota.cli.demo.DemoSettings;
import dev.rota.http.ApiServerConfig;
import dev.rota.cli.demo.Narrator;
import dev.rota.db.RotaDatabase;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rota demo}: a whole cluster in one process, narrated. */
@Command(name = "demo",
        header = "Run a whole cluster in this process and narrate what it does.",
        description = {
            "Starts an embedded ZooKeeper, two masters and two workers against the local PostgreSQL and RabbitMQ,"
                + " adds three jobs (hello every 5 s, nap every 10 s, flaky every 15 s, failing and retried up to"
                + " 3 attempts) and a one-off task due 20 s later, then tells who leads, what fires, which"
                + " worker runs it and how it ends. Halfway through (or at --failover-after) the leader steps down"
                + " and the other master takes over.",
            "",
            "It runs hardened, as a production cluster should: ZooKeeper digest identities and ACLs for masters and"
                + " workers, and (when rabbitmqctl can create them) separate least-privilege RabbitMQ users, with"
                + " every result signed by its worker's user. --insecure runs it open.",
            "",
            "Uses its own schema (--db-schema, default rota_demo), wiped at start, and its own namespace; it does"
                + " not read ROTA_DB_SCHEMA or ROTA_NAMESPACE. Ctrl-C or the end of --duration stops everything"
                + " cleanly."},
        footerHeading = "%nExamples:%n",
        footer = {"  rota demo", "  rota demo --duration 40s --failover-after 15s",
            "  ROTA_DB_URL=jdbc:postgresql://db:5432/postgres \\",
            "  ROTA_AMQP_URI=amqp://rota:rota@mq:5672/%%2F rota demo"})
final class DemoCommand implements Callable<Integer> {
    private static final Duration CLEANUP_WAIT = Duration.ofSeconds(30);

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long the demo runs once started (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--failover-after", paramLabel = "DURATION",
            description = "When the leader steps down, counted from the start (default: half the duration).")
    private Duration failoverAfter;

    @Option(names = "--db-schema", paramLabel = "SCHEMA", defaultValue = "rota_demo",
            description = "Schema of the demo, dropped at start; its name must contain 'demo' (default: ${DEFAULT-VALUE}).")
    private String schema;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "demo",
            description = "Namespace of the demo's cluster and queues (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(names = "--insecure",
            description = "Run open, as an unconfigured cluster does: no ZooKeeper ACLs, one broker user for masters"
                    + " and workers (default: hardened).")
    private boolean insecure;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the demo's HTTP API, served by master-1 without tokens on 127.0.0.1 only"
                    + " (--insecure-local); 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Mixin
    private PostgresOptions postgres;

    @Mixin
    private AmqpOptions amqp;

    @Override
    public Integer call() throws InterruptedException {
        DemoSettings settings = settings();
        Duration failover = failoverAfter != null ? failoverAfter : duration.dividedBy(2);
        if (failover.compareTo(duration) > 0) {
            throw new ParameterException(spec.commandLine(), "--failover-after (" + DurationConverter.format(failover)
                    + ") is later than the end of the demo (--duration " + DurationConverter.format(duration) + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (StopSignal stop = StopSignal.install("rota-demo-shutdown", CLEANUP_WAIT);
                Narrator narrator = new Narrator(out, Clock.systemDefaultZone())) {
            narrator.say("demo", "starting: embedded ZooKeeper, 2 masters, 2 workers; running "
                    + DurationConverter.format(duration) + ", failover after " + DurationConverter.format(failover)
                    + "; Ctrl-C stops");
            try (Demo demo = new Demo(settings, narrator)) {
                demo.start();
                MasterApi api = MasterApi.start(demo.firstMaster(), ApiServerConfig.of(httpPort).withInsecureLocal(true));
                narrator.say("demo", "HTTP API at " + api.url() + "/api/v1 (insecure-local: no token needed, loopback"
                        + " only), e.g. curl " + api.url() + "/api/v1/runs?limit=5");
                boolean stopped = stop.await(failover);
                if (!stopped) {
                    demo.failover();
                    stopped = stop.await(duration.minus(failover));
                }
                narrator.say("demo", (stopped ? "stop requested" : "time is up") + ": stopping the workers");
                demo.stopWorkers();
                demo.summarize();
                api.close();
                narrator.say("demo", "stopping the masters and ZooKeeper");
            }
            narrator.say("demo", "done");
        }
        return 0;
    }

    private DemoSettings settings() {
        try {
            return new DemoSettings(RotaDatabase.builder().url(postgres.url()).user(postgres.user())
                    .password(postgres.password()).schema(schema).maxPoolSize(6)
                    .connectionTimeout(postgres.connectionTimeout()).config(), namespace, amqp.uri(), !insecure);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
