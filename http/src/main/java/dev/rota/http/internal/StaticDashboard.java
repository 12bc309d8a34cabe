package dev.rota.http.internal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.Map;

/**
 * The dashboard hook: when the dashboard's jar ({@code rota-dashboard}) is on the classpath, its static
 * files are served at {@code /}. They hold no data and no secret (the app signs in with an API token and
 * calls {@code /api/v1} like any client), so they are served without a token. Without the jar, nothing
 * is added. The path is the dashboard module's {@code Dashboard.RESOURCE_ROOT}, named here as a string so
 * that this module does not depend on that one.
 */
final class StaticDashboard {
    static final String RESOURCE_ROOT = "/dev/rota/dashboard/static";

    private StaticDashboard() {
    }

    static void addTo(JavalinConfig c) {
        if (StaticDashboard.class.getResource(RESOURCE_ROOT + "/index.html") == null) {
            return;
        }
        c.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = RESOURCE_ROOT;
            files.location = Location.CLASSPATH;
            // Module files keep their names across releases: revalidate (ETag) instead of caching stale code.
            files.headers = Map.of("Cache-Control", "no-cache");
        });
    }
}
