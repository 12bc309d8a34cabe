package dev.rota.registry;

import dev.rota.model.Credentials;
import java.util.Objects;

/**
 * ZooKeeper digest authentication and the ACLs that follow from it. Masters know both identities;
 * workers know only theirs. With it, every node Rota creates carries an ACL:
 *
 * <ul>
 *   <li>settings, election, failover and the namespace's base nodes: masters may do everything,
 *       workers may read, anyone else may do nothing;</li>
 *   <li>membership ({@code masters/*}, {@code workers/*}): masters and workers as above, and anyone may
 *       read (ids, hosts and task types are not secret); workers may create and delete nodes under
 *       {@code workers} and write their own node.</li>
 * </ul>
 *
 * ACLs are set when a node is created (and on {@code settings} each time a master publishes): a
 * namespace first used without authentication keeps its open nodes; start a hardened cluster in a fresh
 * namespace or reset the ACLs with {@code setAcl}.
 *
 * @param master the masters' identity; null in a worker's configuration
 * @param worker the workers' identity; never null
 */
public record ZkAuth(Credentials master, Credentials worker) {
    public ZkAuth {
        Objects.requireNonNull(worker, "worker");
        if (master != null && master.user().equals(worker.user())) {
            throw new IllegalArgumentException("the master and worker identities must differ, both are '"
                    + worker.user() + "'");
        }
    }

    /** A master's: it authenticates as {@code master} and grants {@code worker} what workers need. */
    public static ZkAuth forMaster(Credentials master, Credentials worker) {
        return new ZkAuth(Objects.requireNonNull(master, "master"), worker);
    }

    /** A worker's: it authenticates as {@code worker}. */
    public static ZkAuth forWorker(Credentials worker) {
        return new ZkAuth(null, worker);
    }

    /** Whether this side authenticates as the master identity. */
    public boolean isMaster() {
        return master != null;
    }

    /** The identity this side authenticates as. */
    public Credentials self() {
        return master != null ? master : worker;
    }

    /**
     * Reads the text of a {@code ROTA_ZK_AUTH} variable or file: lines {@code master=user:password} (masters
     * and operators) and {@code worker=user:password} (everyone); blank lines and {@code #} comments are
     * ignored.
     *
     * @throws IllegalArgumentException naming the line that cannot be read, or the missing worker line
     */
    public static ZkAuth parse(String text) {
        Credentials master = null;
        Credentials worker = null;
        int lineNo = 0;
        for (String raw : text.split("\\R")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            switch (key) {
                case "master" -> master = Credentials.parse("ZooKeeper auth line " + lineNo + " (master)", line.substring(eq + 1));
                case "worker" -> worker = Credentials.parse("ZooKeeper auth line " + lineNo + " (worker)", line.substring(eq + 1));
                default -> throw new IllegalArgumentException("ZooKeeper auth line " + lineNo
                        + " must be 'master=user:password' or 'worker=user:password'");
            }
        }
        if (worker == null) {
            throw new IllegalArgumentException("ZooKeeper auth needs a 'worker=user:password' line"
                    + " (masters need a 'master=...' line as well)");
        }
        return new ZkAuth(master, worker);
    }

    @Override
    public String toString() {
        return "ZkAuth[master=" + master + ", worker=" + worker + "]";
    }
}
