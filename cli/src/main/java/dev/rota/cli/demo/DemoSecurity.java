package dev.rota.cli.demo;

import dev.rota.messaging.AmqpConnections;
import dev.rota.messaging.BrokerPermissions;
import dev.rota.messaging.BrokerUsers;
import dev.rota.model.Credentials;
import dev.rota.model.Topology;
import dev.rota.registry.ZkAuth;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The demo's hardened setup: fresh random ZooKeeper identities for masters and workers (ACLs on every
 * node), and, where {@code rabbitmqctl} can create them, separate least-privilege RabbitMQ users for
 * masters and workers, deleted again at the end. Without {@code rabbitmqctl} the broker part falls back
 * to the one configured user, and the demo says so.
 */
final class DemoSecurity implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ZkAuth masterZk;
    private final ZkAuth workerZk;
    private final Credentials masterBroker;
    private final Credentials workerBroker;
    private final BrokerUsers users;
    private final String adminUri;

    private DemoSecurity(ZkAuth masterZk, Credentials masterBroker, Credentials workerBroker, BrokerUsers users,
            String adminUri) {
        this.masterZk = masterZk;
        this.workerZk = ZkAuth.forWorker(masterZk.worker());
        this.masterBroker = masterBroker;
        this.workerBroker = workerBroker;
        this.users = users;
        this.adminUri = adminUri;
    }

    /**
     * Creates the identities. {@code adminUri} is the configured broker address; its user creates nothing,
     * {@code rabbitmqctl} does.
     */
    static DemoSecurity create(String namespace, String adminUri, Narrator narrator) {
        ZkAuth zk = ZkAuth.forMaster(new Credentials("rota-master", secret()), new Credentials("rota-worker", secret()));
        BrokerUsers users = new BrokerUsers("rabbitmqctl");
        Topology topology = new Topology(namespace);
        String vhost = AmqpConnections.virtualHost(adminUri);
        Credentials master = new Credentials("rota-" + namespace + "-master", secret());
        Credentials worker = new Credentials("rota-" + namespace + "-worker", secret());
        try {
            if (!users.available()) {
                throw new IOException("rabbitmqctl is not available on this machine");
            }
            users.ensure(vhost, master, BrokerPermissions.master(topology));
            users.ensure(vhost, worker, BrokerPermissions.worker(topology));
            narrator.say("demo", "hardened: ZooKeeper ACLs (identities rota-master, rota-worker); RabbitMQ users "
                    + master.user() + " and " + worker.user() + " with least permissions; workers sign results");
            return new DemoSecurity(zk, master, worker, users, adminUri);
        } catch (IOException e) {
            narrator.say("demo", "hardened: ZooKeeper ACLs (identities rota-master, rota-worker); RabbitMQ users NOT"
                    + " separated (" + e.getMessage() + "): masters and workers share "
                    + AmqpConnections.user(adminUri));
            return new DemoSecurity(zk, null, null, null, adminUri);
        }
    }

    ZkAuth masterZk() {
        return masterZk;
    }

    ZkAuth workerZk() {
        return workerZk;
    }

    boolean separateBrokerUsers() {
        return masterBroker != null;
    }

    /** The masters' broker address: with the masters' own user when separated. */
    String masterUri() {
        return masterBroker == null ? adminUri : AmqpConnections.withCredentials(adminUri, masterBroker);
    }

    /** The workers' own broker user, or null when they use what the masters publish. */
    Credentials workerBroker() {
        return workerBroker;
    }

    @Override
    public void close() {
        if (users == null) {
            return;
        }
        for (Credentials c : new Credentials[] {masterBroker, workerBroker}) {
            try {
                users.delete(c.user());
            } catch (IOException e) {
                // the user stays; the next demo resets its password
            }
        }
    }

    private static String secret() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
