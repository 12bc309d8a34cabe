package dev.rota.bench.compare;

/**
 * One db-scheduler or Quartz node in its own JVM on a shared, prepared schema, for the failover workload.
 * Prints each execution as an {@code EXEC} line and {@code READY} once started; exits when its standard
 * input closes. Arguments: (db-scheduler | quartz) schema jobs nodeName.
 */
public final class PeerNode {
    private PeerNode() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: PeerNode (db-scheduler | quartz) schema jobs nodeName");
        }
        Executions printing = new Executions(e -> System.out.println(e.toLine()));
        Contender node = switch (args[0]) {
            case "db-scheduler" -> new DbSchedulerContender(printing, args[1], false, args[3]);
            case "quartz" -> new QuartzContender(printing, args[1], false);
            default -> throw new IllegalArgumentException("unknown peer '" + args[0] + "': db-scheduler or quartz");
        };
        node.start(Integer.parseInt(args[2]));
        NodeMain.exitWhenStdinCloses(node);
        System.out.println("READY");
        Thread.currentThread().join();
    }
}
