package dev.rota.bench.compare;

import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.registry.RegistryConfig;

/**
 * A Rota master with default settings in its own JVM, for the failover workload. Prints {@code LEADER}
 * when it starts leading; exits when its standard input closes.
 * Arguments: zkConnect namespace dbUrl dbUser dbPassword amqpUri masterId.
 */
public final class RotaMasterNode {
    private RotaMasterNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            throw new IllegalArgumentException("usage: RotaMasterNode zkConnect namespace dbUrl dbUser dbPassword amqpUri masterId");
        }
        Master master = Master.builder().masterId(args[6])
                .registry(new RegistryConfig(args[0], args[1], RegistryConfig.DEFAULT_SESSION_TIMEOUT,
                        RegistryConfig.DEFAULT_CONNECTION_TIMEOUT))
                .database(RotaDatabase.builder().url(args[2]).user(args[3]).password(args[4]).schema(args[1]).config())
                .amqpUri(args[5])
                .build();
        master.start();
        NodeMain.exitWhenStdinCloses(master);
        boolean leading = false;
        while (true) {
            boolean now = master.isLeader();
            if (now && !leading) {
                System.out.println("LEADER " + master.epoch());
            }
            leading = now;
            Thread.sleep(20);
        }
    }
}
