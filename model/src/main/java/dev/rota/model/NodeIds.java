package dev.rota.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Default node ids: {@code <prefix><hostname>-<pid>-<4 random hex digits>}, made a valid
 * {@link Names name}. Masters and workers use them when no id is given.
 */
public final class NodeIds {
    private static final int MAX_HOST_CHARS = 40;

    private NodeIds() {
    }

    /** @param prefix put before the host name, e.g. {@code "master-"}; empty for none */
    public static String generate(String prefix) {
        String random = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1 << 16));
        return prefix + sanitize(hostName()) + "-" + ProcessHandle.current().pid() + "-" + random;
    }

    /** The local host name, or {@code localhost} when it cannot be resolved. */
    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }

    /** Host names may hold dots and other characters names may not; ids must start with a letter or digit. */
    static String sanitize(String host) {
        String cleaned = host.replaceAll("[^A-Za-z0-9_-]", "-").replaceAll("^[_-]+", "");
        if (cleaned.isEmpty()) {
            cleaned = "host";
        }
        return cleaned.length() > MAX_HOST_CHARS ? cleaned.substring(0, MAX_HOST_CHARS) : cleaned;
    }
}
