package dev.rota.registry.internal;

import dev.rota.model.Credentials;
import dev.rota.registry.ZkAuth;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The ACL of every node Rota creates, by path (see {@link ZkAuth}). Curator asks it for each create,
 * including the parents it creates and the nodes of its recipes.
 */
final class Acls implements ACLProvider {
    private static final Id ANYONE = ZooDefs.Ids.ANYONE_ID_UNSAFE;

    private final String base;
    private final Id master;
    private final Id worker;

    Acls(ZkAuth auth, String namespacePath) {
        this.base = "/" + namespacePath;
        this.master = auth.master() == null ? null : digest(auth.master());
        this.worker = digest(auth.worker());
    }

    @Override
    public List<ACL> getDefaultAcl() {
        return acl(ZooDefs.Perms.READ, 0);
    }

    @Override
    public List<ACL> getAclForPath(String path) {
        String p = path.startsWith(base) ? path.substring(base.length()) : path;
        if (p.equals(Layout.WORKERS)) {
            return acl(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE, ZooDefs.Perms.READ);
        }
        if (p.startsWith(Layout.WORKERS + "/")) {
            return acl(ZooDefs.Perms.ALL, ZooDefs.Perms.READ);
        }
        if (p.equals(Layout.MASTERS) || p.startsWith(Layout.MASTERS + "/")) {
            return acl(ZooDefs.Perms.READ, ZooDefs.Perms.READ);
        }
        return getDefaultAcl();
    }

    private List<ACL> acl(int workerPerms, int anyonePerms) {
        List<ACL> acl = new ArrayList<>(3);
        if (master != null) {
            acl.add(new ACL(ZooDefs.Perms.ALL, master));
        }
        acl.add(new ACL(master == null ? ZooDefs.Perms.ALL : workerPerms, worker));
        if (anyonePerms != 0) {
            acl.add(new ACL(anyonePerms, ANYONE));
        }
        return acl;
    }

    static Id digest(Credentials c) {
        try {
            return new Id("digest", DigestAuthenticationProvider.generateDigest(c.user() + ":" + c.password()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available for ZooKeeper digest authentication", e);
        }
    }
}
