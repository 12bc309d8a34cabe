package dev.rota.master.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP socket that lives exactly as long as the master's process. Standbys connect to the leader's
 * beacon and wait: when the process dies (kill -9, a crash, the JVM exiting), the operating system
 * closes the connection at once, and the standby knows without waiting for the dead process's
 * ZooKeeper session to expire. Nothing is ever sent on it. A paused or partitioned process keeps its
 * connections open, so those cases still wait for the session, as they must.
 *
 * <p>Threads: {@code rota-beacon-<id>} accepts; one {@code rota-beacon-peer} thread per connected
 * standby waits for that standby to go away.
 */
public final class LivenessBeacon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LivenessBeacon.class);

    private final ServerSocket server;
    private final String advertisedHost;
    private final Set<Socket> peers = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /**
     * Listens on every interface, on a free port.
     *
     * @param advertisedHost the host standbys connect to (a port in it is ignored)
     */
    public LivenessBeacon(String masterId, String advertisedHost) throws IOException {
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(0));
        this.advertisedHost = hostOf(advertisedHost);
        this.acceptor = new Thread(this::acceptPeers, "rota-beacon-" + masterId);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code host:port} to publish in ZooKeeper. */
    public String address() {
        return advertisedHost + ":" + server.getLocalPort();
    }

    private void acceptPeers() {
        while (!server.isClosed()) {
            try {
                Socket peer = server.accept();
                peers.add(peer);
                Thread waiter = new Thread(() -> holdUntilGone(peer), "rota-beacon-peer");
                waiter.setDaemon(true);
                waiter.start();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                log.debug("beacon accept failed: {}", e.toString());
            }
        }
    }

    private void holdUntilGone(Socket peer) {
        try (peer; InputStream in = peer.getInputStream()) {
            while (in.read() >= 0) {
                // Standbys send nothing; a byte would only mean a confused client.
            }
        } catch (IOException gone) {
            // The standby went away or we are closing.
        } finally {
            peers.remove(peer);
        }
    }

    /** Closes the listener and every connection: standbys watching this master see it gone. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            log.debug("closing beacon: {}", e.toString());
        }
        for (Socket peer : peers) {
            try {
                peer.close();
            } catch (IOException e) {
                log.debug("closing beacon connection: {}", e.toString());
            }
        }
    }

    static String hostOf(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(0, end + 1) : address;
        }
        int colon = address.indexOf(':');
        return colon >= 0 && address.indexOf(':', colon + 1) < 0 ? address.substring(0, colon) : address;
    }
}
