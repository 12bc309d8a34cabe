package dev.rota.cli;

import dev.rota.mqtt.MqttBridge;
import dev.rota.mqtt.MqttBridgeConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rota mqtt-bridge}: forwards completion events to MQTT until SIGTERM or SIGINT. */
@Command(name = "mqtt-bridge",
        header = "Forward completion events to an MQTT broker until stopped.",
        description = {
            "Consumes the namespace's events exchange through the durable queue rota.<ns>.mqtt-bridge and publishes"
                + " each event, unchanged, at QoS 1 to topic rota/<ns>/<team>/<taskType>/<state>. An event is acked"
                + " on RabbitMQ only after the MQTT broker's PUBACK, so none is lost when the bridge, a broker or"
                + " the leader crashes; one may arrive twice (deduplicate by its CloudEvents id)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rota mqtt-bridge --namespace prod --mqtt-uri tcp://127.0.0.1:1883",
            "  mosquitto_sub -h 127.0.0.1 -q 1 -t 'rota/prod/+/+/+'"})
final class MqttBridgeCommand implements Callable<Integer>, RotaCommand.ServerCommand {
    private static final Duration CLEANUP_WAIT = Duration.ofSeconds(10);

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Mixin
    private AmqpOptions amqp;

    @Env("ROTA_NAMESPACE")
    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "default",
            description = "Rota namespace whose events are forwarded (env ROTA_NAMESPACE; default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Env("ROTA_MQTT_URI")
    @Option(names = "--mqtt-uri", paramLabel = "URI", defaultValue = MqttBridgeConfig.DEFAULT_MQTT_URI,
            description = "MQTT broker (env ROTA_MQTT_URI; default: ${DEFAULT-VALUE}).")
    private String mqttUri;

    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id (default: rota-mqtt-bridge-<ns>).")
    private String clientId;

    @Override
    public Integer call() throws InterruptedException {
        MqttBridge bridge;
        try {
            MqttBridgeConfig d = MqttBridgeConfig.defaults(amqp.uri(), namespace);
            bridge = MqttBridge.of(new MqttBridgeConfig(d.amqpUri(), d.namespace(), mqttUri,
                    clientId != null ? clientId : d.clientId(), d.inFlight(), d.publishTimeout()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        try (StopSignal stop = StopSignal.install("rota-mqtt-bridge-shutdown", CLEANUP_WAIT)) {
            try {
                bridge.start();
                spec.commandLine().getErr().println("rota: forwarding events of namespace '" + namespace + "' to "
                        + mqttUri);
                stop.await();
            } finally {
                bridge.close();
            }
        }
        return 0;
    }
}
