package dev.rota.worker.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Rota version this worker was built as, from a resource Maven filters at build time. */
final class Version {
    private static final String RESOURCE = "/dev/rota/worker/version.properties";
    private static final String UNKNOWN = "unknown";

    private Version() {
    }

    static String current() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", UNKNOWN);
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
