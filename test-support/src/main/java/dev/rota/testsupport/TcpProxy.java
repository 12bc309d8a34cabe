package dev.rota.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a loopback port in front of one upstream address, like a one-link Toxiproxy: it
 * accepts, connects upstream and pipes both ways on two threads per connection. {@link #cut()} closes
 * every open connection and refuses (accepts and closes at once) new ones until {@link #heal()}; to the
 * node behind it that is a network partition from that upstream.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

    private final String name;
    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final Thread acceptor;
    private volatile boolean closed;

    public TcpProxy(String name, InetSocketAddress upstream) throws IOException {
        this.name = name;
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code 127.0.0.1:<port>}: connect here instead of to the upstream. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public String name() {
        return name;
    }

    /** Client connections open through the proxy now. */
    public int openConnections() {
        return open.size() / 2;
    }

    public boolean isCut() {
        return cut.get();
    }

    /** Closes every connection through the proxy and refuses new ones. */
    public void cut() {
        cut.set(true);
        closeAll();
    }

    /** Lets connections through again. */
    public void heal() {
        cut.set(false);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy {} stopped accepting: {}", name, e.toString());
                }
                return;
            }
            if (cut.get()) {
                closeQuietly(client);
                continue;
            }
            Socket target = new Socket();
            try {
                target.connect(upstream, 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(target);
                continue;
            }
            open.add(client);
            open.add(target);
            pipe(client, target, "up");
            pipe(target, client, "down");
        }
    }

    private void pipe(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (cut.get()) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side or cut() closed the connection
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-" + name + "-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private void closeAll() {
        for (Socket s : Set.copyOf(open)) {
            closeQuietly(s);
            open.remove(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        closeAll();
    }

    @Override
    public String toString() {
        return "TcpProxy[" + name + " " + address() + " -> " + upstream + (cut.get() ? ", cut" : "") + "]";
    }
}
