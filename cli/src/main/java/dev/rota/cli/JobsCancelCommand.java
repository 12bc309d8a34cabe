package dev.rota.cli;

import dev.rota.db.RotaDatabase;
import dev.rota.db.RunView;
import dev.rota.master.Operations;
import dev.rota.model.ClusterSettings;
import dev.rota.registry.Registry;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rota jobs cancel}: cancels a scheduled, queued or running run. */
@Command(name = "cancel", header = "Cancel a run that is scheduled, queued or running.",
        description = "The run becomes CANCELLED at once. If a worker is running it, the worker interrupts the"
                + " handler; a CANCELLED completion event is published. Needs the cluster's ZooKeeper (for the"
                + " broker address) as well as the database.",
        footerHeading = "%nExample:%n", footer = "  rota jobs cancel 42")
final class JobsCancelCommand implements Callable<Integer> {
    private static final Duration SETTINGS_WAIT = Duration.ofSeconds(5);

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id.")
    private long runId;

    @Mixin
    private ZooKeeperOptions zk;

    @Mixin
    private DatabaseOptions database;

    /** In a cluster with separate broker users the settings carry no credentials: the operator brings a master's. */
    @Mixin
    private WorkerBrokerOptions broker;

    @Override
    public Integer call() throws InterruptedException, IOException {
        ClusterSettings settings;
        try (Registry registry = zk.openRegistry()) {
            settings = registry.awaitSettings(SETTINGS_WAIT);
        }
        if (broker.credentials() != null) {
            settings = new ClusterSettings(dev.rota.messaging.AmqpConnections.withCredentials(settings.amqpUri(),
                    broker.credentials()), settings.namespace(), settings.queueType(), settings.deliveryLimit(),
                    settings.heartbeatInterval(), settings.maxPayloadBytes());
        }
        try (RotaDatabase db = database.open(); Operations operations = Operations.connect(db, settings)) {
            Optional<RunView> cancelled = operations.cancel(runId);
            if (cancelled.isEmpty()) {
                String state = db.runs().find(runId).map(r -> "it is " + r.state()).orElse("there is no such run");
                throw new CommandFailedException("cannot cancel run " + runId + ": " + state);
            }
            RunView run = cancelled.get();
            spec.commandLine().getOut().printf("cancelled run %d%s%n", run.id(),
                    run.workerId() != null ? "; worker " + run.workerId() + " was told to stop attempt " + run.attempt() : "");
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
