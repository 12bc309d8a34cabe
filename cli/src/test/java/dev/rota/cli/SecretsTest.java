package dev.rota.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.testsupport.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret is accepted on the command line; files and the environment carry them. */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void aPasswordFlagIsRefusedAndNamesWhereThePasswordBelongs() {
        Cli.Result r = Cli.run("jobs", "list", "--db-password", "s3cret");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--db-password is not accepted on the command line", "ROTA_DB_PASSWORD",
                "--db-password-file").doesNotContain("s3cret");
    }

    @Test
    void aUriWithAPasswordIsRefusedOnTheCommandLineButNotInTheEnvironment() {
        Cli.Result r = Cli.run("master", "--amqp-uri", "amqp://rota:s3cret@mq:5672/%2F");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--amqp-uri carries a password", "ROTA_AMQP_URI").doesNotContain("s3cret");

        assertThat(Cli.run("cluster", "status", "--zk-auth", "worker=w:pw").err())
                .contains("--zk-auth is not accepted on the command line", "ROTA_ZK_AUTH");
        assertThat(Cli.run("jobs", "list", "--db-url", "jdbc:postgresql://db/rota?password=s3cret").err())
                .contains("--db-url carries a password");
    }

    @Test
    void aPasswordFileIsReadAndAMissingOneIsNamed() throws Exception {
        TestServers.Postgres pg = TestServers.postgres();
        Path file = dir.resolve("db-password");
        Files.writeString(file, pg.password() + "\n");
        String schema = TestServers.uniqueName("cli_secret_").toLowerCase();
        try {
            assertThat(Cli.run(Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user(), "ROTA_DB_PASSWORD", pg.password()),
                    "db", "migrate", "--db-schema", schema).exitCode()).isZero();
            Cli.Result ok = Cli.run(Map.of("ROTA_DB_URL", pg.url(), "ROTA_DB_USER", pg.user()),
                    "jobs", "list", "--db-schema", schema, "--db-password-file", file.toString());
            assertThat(ok.exitCode()).as(ok.err()).isZero();
        } finally {
            TestServers.dropSchema(schema);
        }
        Cli.Result missing = Cli.run("jobs", "list", "--db-password-file", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("--db-password-file: cannot read " + dir.resolve("nope"));
    }

    @Test
    void theZooKeeperTrustStorePasswordIsRefusedOnTheCommandLineAndAMissingTrustStoreIsNamed() {
        Cli.Result flag = Cli.run("cluster", "status", "--zk-tls-truststore-password", "s3cret");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.err()).contains("--zk-tls-truststore-password is not accepted on the command line",
                "ROTA_ZK_TLS_TRUSTSTORE_PASSWORD", "--zk-tls-truststore-password-file").doesNotContain("s3cret");

        Cli.Result missing = Cli.run("cluster", "status", "--zk-tls-truststore", dir.resolve("nope.p12").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("--zk-tls-truststore", "must be a readable file", "nope.p12");
    }
}
