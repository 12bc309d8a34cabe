package dev.rota.registry;

import dev.rota.model.Names;
import dev.rota.registry.internal.CuratorRegistry;
import java.time.Clock;
import java.time.Duration;

/** Builds a {@link Registry}; every setter rejects a bad value. */
public final class RegistryBuilder {
    private ZkAuth auth;
    private ZkTls tls;
    private String connectString = RegistryConfig.DEFAULT_CONNECT_STRING;
    private String namespace = RegistryConfig.DEFAULT_NAMESPACE;
    private Duration sessionTimeout = RegistryConfig.DEFAULT_SESSION_TIMEOUT;
    private Duration connectionTimeout = RegistryConfig.DEFAULT_CONNECTION_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    public RegistryBuilder connectString(String connectString) {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("connectString must not be blank, was '" + connectString + "'");
        }
        this.connectString = connectString;
        return this;
    }

    public RegistryBuilder namespace(String namespace) {
        this.namespace = Names.requireValid("namespace", namespace);
        return this;
    }

    public RegistryBuilder sessionTimeout(Duration sessionTimeout) {
        RegistryConfig.requirePositive("sessionTimeout", sessionTimeout);
        this.sessionTimeout = sessionTimeout;
        return this;
    }

    public RegistryBuilder connectionTimeout(Duration connectionTimeout) {
        RegistryConfig.requirePositive("connectionTimeout", connectionTimeout);
        this.connectionTimeout = connectionTimeout;
        return this;
    }

    public RegistryBuilder clock(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** ZooKeeper digest authentication and ACLs (see {@link ZkAuth}); by default none. */
    public RegistryBuilder auth(ZkAuth auth) {
        this.auth = auth;
        return this;
    }

    /** Verified TLS to ZooKeeper (see {@link ZkTls}); by default none, plain TCP. */
    public RegistryBuilder tls(ZkTls tls) {
        this.tls = tls;
        return this;
    }

    /** Everything of {@code config}. */
    public RegistryBuilder config(RegistryConfig config) {
        return connectString(config.connectString()).namespace(config.namespace())
                .sessionTimeout(config.sessionTimeout()).connectionTimeout(config.connectionTimeout()).auth(config.auth())
                .tls(config.tls());
    }

    public Registry build() {
        return new CuratorRegistry(new RegistryConfig(connectString, namespace, sessionTimeout, connectionTimeout, auth, tls),
                clock);
    }
}
