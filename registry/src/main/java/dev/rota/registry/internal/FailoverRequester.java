package dev.rota.registry.internal;

import dev.rota.model.MessageCodec;
import dev.rota.registry.RegistryConfig;
import dev.rota.registry.RegistryException;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes failover requests: the {@code failover} node naming the current leader. */
final class FailoverRequester {
    private static final Logger log = LoggerFactory.getLogger(FailoverRequester.class);

    private final CuratorFramework client;
    private final MessageCodec codec;
    private final ClusterReader reader;
    private final Clock clock;
    private final String where;

    FailoverRequester(CuratorFramework client, MessageCodec codec, ClusterReader reader, Clock clock, RegistryConfig config) {
        this.client = client;
        this.codec = codec;
        this.reader = reader;
        this.clock = clock;
        this.where = Layout.describe(config, "");
    }

    /** @return the id of the leader asked to step down */
    String request() throws Exception {
        String leader = Election.leaderId(client).orElseThrow(() ->
                new RegistryException("cannot fail over: no master leads in " + where));
        int masters = reader.count(Layout.MASTERS);
        if (masters < 2) {
            throw new RegistryException("cannot fail over: " + masters + " master(s) registered in " + where
                    + ", so no other master can take over from " + leader);
        }
        client.create().orSetData().creatingParentsIfNeeded()
                .forPath(Layout.FAILOVER, codec.encode(new FailoverRequest(leader, clock.instant())));
        log.info("asked leader {} in {} to step down", leader, where);
        return leader;
    }
}
