package dev.rota.cli;

import dev.rota.registry.Registry;
import dev.rota.registry.RegistryBuilder;
import dev.rota.registry.RegistryConfig;
import dev.rota.registry.ZkAuth;
import dev.rota.registry.ZkTls;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the cluster's ZooKeeper is, and which Rota namespace in it; shared by every command that uses it. */
public final class ZooKeeperOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Env("ROTA_ZK")
    @Option(names = "--zk", paramLabel = "HOST:PORT[,...]", defaultValue = RegistryConfig.DEFAULT_CONNECT_STRING,
            description = "ZooKeeper connect string (env ROTA_ZK; default: ${DEFAULT-VALUE}).")
    String connectString;

    @Env("ROTA_NAMESPACE")
    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = RegistryConfig.DEFAULT_NAMESPACE,
            description = "Rota namespace: separates clusters sharing one ZooKeeper and RabbitMQ"
                    + " (env ROTA_NAMESPACE; default: ${DEFAULT-VALUE}).")
    String namespace;

    @Env("ROTA_ZK_SESSION_TIMEOUT")
    @Option(names = "--zk-session-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Requested ZooKeeper session timeout, e.g. 10s or PT10S"
                    + " (env ROTA_ZK_SESSION_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Env("ROTA_ZK_CONNECTION_TIMEOUT")
    @Option(names = "--zk-connection-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for the first connection to ZooKeeper"
                    + " (env ROTA_ZK_CONNECTION_TIMEOUT; default: ${DEFAULT-VALUE}).")
    Duration connectionTimeout;

    @Env("ROTA_ZK_AUTH")
    @Option(names = "--zk-auth", paramLabel = "TEXT", hidden = true,
            description = "Refused on the command line: set ROTA_ZK_AUTH or use --zk-auth-file.")
    String authText;

    @Env("ROTA_ZK_AUTH_FILE")
    @Option(names = "--zk-auth-file", paramLabel = "FILE",
            description = "ZooKeeper digest identities and ACLs: a file with lines 'master=user:password' (masters"
                    + " and operators) and 'worker=user:password' (everyone); or its text in env ROTA_ZK_AUTH"
                    + " (env ROTA_ZK_AUTH_FILE; default: none, an open ZooKeeper).")
    java.nio.file.Path authFile;

    @Env("ROTA_ZK_TLS_TRUSTSTORE")
    @Option(names = "--zk-tls-truststore", paramLabel = "FILE",
            description = "Connect to ZooKeeper over TLS (its secureClientPort), trusting exactly the certificates in"
                    + " this PKCS12, JKS or PEM file and checking that the server's certificate names the host"
                    + " (env ROTA_ZK_TLS_TRUSTSTORE; default: none, plain TCP).")
    java.nio.file.Path tlsTrustStore;

    @Env("ROTA_ZK_TLS_TRUSTSTORE_PASSWORD")
    @Option(names = "--zk-tls-truststore-password", paramLabel = "TEXT", hidden = true,
            description = "Refused on the command line: set ROTA_ZK_TLS_TRUSTSTORE_PASSWORD or use"
                    + " --zk-tls-truststore-password-file.")
    String tlsTrustStorePassword;

    @Env("ROTA_ZK_TLS_TRUSTSTORE_PASSWORD_FILE")
    @Option(names = "--zk-tls-truststore-password-file", paramLabel = "FILE",
            description = "The password of --zk-tls-truststore, in a file; or in env ROTA_ZK_TLS_TRUSTSTORE_PASSWORD"
                    + " (env ROTA_ZK_TLS_TRUSTSTORE_PASSWORD_FILE; default: none).")
    java.nio.file.Path tlsTrustStorePasswordFile;

    /**
     * Verified TLS to ZooKeeper, or null when no trust store is configured.
     *
     * @throws ParameterException naming the option when the trust store is not a readable file
     */
    public ZkTls tls() {
        String password = Secrets.fromFileOr("--zk-tls-truststore-password-file", tlsTrustStorePasswordFile,
                tlsTrustStorePassword);
        if (tlsTrustStore == null) {
            if (password != null) {
                throw new ParameterException(mixee.commandLine(), "a ZooKeeper trust store password is set but"
                        + " --zk-tls-truststore (ROTA_ZK_TLS_TRUSTSTORE) is not");
            }
            return null;
        }
        try {
            return new ZkTls(tlsTrustStore, password);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), "--zk-tls-truststore: " + e.getMessage(), e);
        }
    }

    /** The ZooKeeper identities, or null when none are configured. */
    public ZkAuth auth() {
        String text = Secrets.fromFileOr("--zk-auth-file", authFile, authText);
        return text == null || text.isBlank() ? null : ZkAuth.parse(text);
    }

    public String connectString() {
        return connectString;
    }

    public String namespace() {
        return namespace;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /**
     * @throws ParameterException when a value is out of range, naming it
     */
    public RegistryConfig config() {
        try {
            return new RegistryConfig(connectString, namespace, sessionTimeout, connectionTimeout, auth(), tls());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(mixee.commandLine(), e.getMessage(), e);
        }
    }

    /** Connects a registry for an admin command; the caller closes it. */
    public Registry openRegistry() {
        RegistryConfig config = config();
        Registry registry = new RegistryBuilder().config(config).build();
        registry.start();
        return registry;
    }

    /** For messages: {@code namespace 'x' at host:port}. */
    public String describe() {
        return "namespace '" + namespace + "' at ZooKeeper " + connectString + (tlsTrustStore == null ? "" : " (TLS)");
    }
}
