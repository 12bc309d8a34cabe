package dev.rota.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Rota version this build carries, from a resource Maven fills in; masters and workers register with it. */
public final class RotaVersion {
    private static final String RESOURCE = "/dev/rota/model/version.properties";
    private static final String VERSION = load();

    private RotaVersion() {
    }

    public static String current() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = RotaVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
