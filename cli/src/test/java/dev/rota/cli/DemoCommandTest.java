package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.testsupport.TestServers;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A short demo, end to end: leadership, fires run by workers, a failover to the other master, a clean stop. */
class DemoCommandTest {
    private final String schema = TestServers.uniqueName("cli_demo_");
    private final String namespace = TestServers.uniqueName("cli-demo-");

    @AfterEach
    void dropSchemaAndQueues() {
        TestServers.dropSchema(schema);
        dev.rota.testsupport.RabbitCleanup.deleteNamespace(namespace,
                java.util.List.of("noop", "log", "sleep", "fail", "hello", "nap", "flaky"));
    }

    @Test
    void aShortDemoShowsLeadershipRunsAndAFailover() {
        TestServers.Postgres pg = TestServers.postgres();
        Map<String, String> env = Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user(),
                "ROTA_DB_PASSWORD", pg.password(), "ROTA_AMQP_URI", TestServers.amqpUri());

        Cli.Result result = Cli.run(env, "demo", "--duration", "12s", "--failover-after", "7s", "--db-schema", schema,
                "--namespace", namespace);

        assertThat(result.exitCode()).as(result.err()).isZero();
        String out = result.out();
        Matcher firstLeader = Pattern.compile("(master-\\d) +\\*\\*\\* now LEADS the cluster, epoch 1 \\*\\*\\*").matcher(out);
        assertThat(firstLeader.find()).as(out).isTrue();
        String other = firstLeader.group(1).equals("master-1") ? "master-2" : "master-1";
        assertThat(out)
                .contains("hardened: ZooKeeper ACLs (identities rota-master, rota-worker); RabbitMQ users rota-",
                        "with least permissions; workers sign results")
                .contains("added job hello", "added job nap", "added job flaky", "submitted one-off task run")
                .containsPattern("worker-\\d +ran run \\d+:1 \\(hello, log\\) -> SUCCEEDED")
                .contains(">>> failover: asking " + firstLeader.group(1) + " (epoch 1) to step down")
                .containsPattern(firstLeader.group(1) + " +\\*\\*\\* lost leadership")
                .containsPattern(other + " +\\*\\*\\* now LEADS the cluster, epoch 2 \\*\\*\\*")
                .contains("time is up", "summary: ")
                .endsWith("done\n");
    }

    @Test
    void refusesASchemaItMustNotWipe() {
        Cli.Result result = Cli.run("demo", "--db-schema", "rota");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("the demo drops and recreates its schema, so its name must contain 'demo'");
    }
}
