package dev.rota.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP endpoint for a node that has no API server (a worker): {@code GET /metrics},
 * {@code /health/live} and {@code /health/ready} (503 when not ready), on the JDK's own HTTP server.
 * It has no authentication: it shows counts and up/down flags only, never ids, payloads or addresses;
 * bind it to an address only Prometheus reaches. {@link #close()} stops it.
 */
public final class MetricsServer implements AutoCloseable {
    public static final String DEFAULT_HOST = "0.0.0.0";

    private final HttpServer server;
    private final ExecutorService threads;

    private MetricsServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Binds and starts serving on one daemon thread.
     *
     * @param port 0 for any free one
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static MetricsServer start(MetricsSource source, String host, int port) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rota-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8", "not found\n"));
        server.createContext("/metrics", ex -> respond(ex, 200, MetricsSource.CONTENT_TYPE, source.scrape()));
        server.createContext("/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/health/ready", ex -> {
            Health health = source.health();
            respond(ex, health.ready() ? 200 : 503, "application/json", health.toJson());
        });
        server.start();
        return new MetricsServer(server, threads);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
