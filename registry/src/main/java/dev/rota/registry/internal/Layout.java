package dev.rota.registry.internal;

import dev.rota.registry.RegistryConfig;
import org.apache.curator.utils.ZKPaths;

/** Where Rota keeps things in ZooKeeper, relative to the client's namespace {@code rota/<namespace>}. */
final class Layout {
    static final String MASTERS = "/masters";
    static final String WORKERS = "/workers";
    static final String ELECTION = "/election";
    static final String SETTINGS = "/settings";
    static final String FAILOVER = "/failover";

    private Layout() {
    }

    /** The Curator namespace: every path above lives under {@code /rota/<namespace>}. */
    static String namespace(RegistryConfig config) {
        return "rota/" + config.namespace();
    }

    static String master(String id) {
        return ZKPaths.makePath(MASTERS, id);
    }

    static String worker(String id) {
        return ZKPaths.makePath(WORKERS, id);
    }

    /** A path as an operator would look for it, e.g. {@code 127.0.0.1:2181/rota/prod/settings}. */
    static String describe(RegistryConfig config, String path) {
        return config.connectString() + "/" + namespace(config) + path;
    }
}
