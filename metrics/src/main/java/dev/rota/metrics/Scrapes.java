package dev.rota.metrics;

import java.util.OptionalDouble;

/**
 * Reads one sample out of a Prometheus text scrape: for tests, and for anyone checking a figure by hand.
 * The sample must have the name exactly and carry every given {@code label="value"} pair (others may follow).
 */
public final class Scrapes {
    private Scrapes() {
    }

    /**
     * @param labels pairs: name, value, name, value...
     * @return the first matching sample's value, empty when none matches
     */
    public static OptionalDouble value(String scrape, String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels must come in name, value pairs, got " + labels.length);
        }
        for (String line : scrape.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length && all; i += 2) {
                all = line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalDouble.empty();
    }
}
