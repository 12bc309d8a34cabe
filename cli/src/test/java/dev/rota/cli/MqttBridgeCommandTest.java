package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttBridgeCommandTest {

    @Test
    void helpSaysWhereEventsGoAndThatTheyAreAckedAfterThePuback() {
        Cli.Result result = Cli.run("mqtt-bridge", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("rota/<ns>/<team>/<taskType>/<state>").contains("PUBACK").contains("--mqtt-uri");
    }

    @Test
    void aBadMqttUriIsABadCommandLineNamingTheRule() {
        Cli.Result result = Cli.run("mqtt-bridge", "--mqtt-uri", "http://127.0.0.1:1883");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("mqttUri must start with tcp:// or ssl://, was http://127.0.0.1:1883");
    }

    @Test
    void anUnreachableMqttBrokerIsOneLine() {
        Cli.Result result = Cli.run("mqtt-bridge", "--mqtt-uri", "tcp://127.0.0.1:1", "--namespace", "nobody");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.errLines()[0]).startsWith("rota: cannot start the MQTT bridge (tcp://127.0.0.1:1)");
    }
}
