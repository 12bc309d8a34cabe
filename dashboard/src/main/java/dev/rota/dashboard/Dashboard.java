package dev.rota.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web dashboard: static files (plain ES modules, CSS, one HTML page) packaged in this jar under
 * {@link #RESOURCE_ROOT}. It holds no server code and no secrets: every byte of data it shows comes from
 * the HTTP API, with the token the user signs in with. An HTTP server serves it at {@code /} either from
 * the classpath directory {@link #RESOURCE_ROOT} or through {@link #asset(String)}.
 *
 * <p>Thread-safe and stateless.
 */
public final class Dashboard {
    /** The classpath directory holding the dashboard's files; {@code index.html} is its entry page. */
    public static final String RESOURCE_ROOT = "/dev/rota/dashboard/static";
    /** The entry page, relative to {@link #RESOURCE_ROOT}. */
    public static final String INDEX = "index.html";

    private static final Pattern SAFE_PATH = Pattern.compile("^(?:[A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+\\.[a-z0-9]+$");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    private Dashboard() {
    }

    /** One file of the dashboard: its bytes and the Content-Type to send them with. */
    public record Asset(String path, String contentType, byte[] bytes) {
    }

    /**
     * The file a request path names: {@code /} or empty is {@link #INDEX}; otherwise a relative path of
     * plain names (letters, digits, {@code -} and {@code _}) with a known extension. Anything else
     * ({@code ..}, encoded characters, hidden files, unknown types) is absent, never resolved, so no
     * request can read outside {@link #RESOURCE_ROOT}.
     */
    public static Optional<Asset> asset(String requestPath) {
        String path = requestPath == null ? "" : requestPath.replaceFirst("^/+", "");
        if (path.isEmpty()) {
            path = INDEX;
        }
        if (!SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCE_ROOT + "/" + path)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(path, type, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboard file " + path, e);
        }
    }
}
