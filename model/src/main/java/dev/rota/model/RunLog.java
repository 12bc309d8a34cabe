package dev.rota.model;

import java.nio.charset.StandardCharsets;

/**
 * The bound on the log a handler writes for one attempt, and how a log over it is cut. A log is UTF-8
 * text of at most {@link #MAX_BYTES} bytes; a longer one keeps its beginning and ends with
 * {@link #TRUNCATION_MARKER}, the whole still within the bound. The worker cuts at its own (smaller or
 * equal) bound while the handler writes; the leader cuts again at {@link #MAX_BYTES}, since any worker can
 * send anything, and the {@code run_attempt.log} column checks the same bound.
 */
public final class RunLog {
    /** 64 KiB: the most any attempt's log may hold, also as stored. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Ends a log that was cut; the line before it is the last kept whole or in part. */
    public static final String TRUNCATION_MARKER = "\n[log truncated: over the limit of the attempt's log]\n";
    /** The marker's size in UTF-8; no bound may be smaller than this plus one byte. */
    public static final int MARKER_BYTES = TRUNCATION_MARKER.getBytes(StandardCharsets.UTF_8).length;

    private RunLog() {
    }

    /** @throws IllegalArgumentException naming {@code name} unless {@code maxBytes} is within the bounds */
    public static int requireBound(String name, int maxBytes) {
        if (maxBytes <= MARKER_BYTES || maxBytes > MAX_BYTES) {
            throw new IllegalArgumentException(name + " must be between " + (MARKER_BYTES + 1) + " and " + MAX_BYTES
                    + " bytes, was " + maxBytes);
        }
        return maxBytes;
    }

    /** Bytes of {@code s} in UTF-8, a lone surrogate counted as the 3 bytes of its replacement. */
    public static int utf8Bytes(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            n += charBytes(s, i);
            if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            }
        }
        return n;
    }

    /**
     * {@code log} as it fits in {@code maxBytes}: unchanged when it fits, else its longest beginning
     * that fits with the marker (never splitting a surrogate pair), then the marker. Null stays null.
     */
    public static String truncate(String log, int maxBytes) {
        if (log == null || utf8Bytes(log) <= maxBytes) {
            return log;
        }
        int budget = maxBytes - MARKER_BYTES;
        int end = prefixFitting(log, budget);
        return log.substring(0, end) + TRUNCATION_MARKER;
    }

    /** The length of the longest prefix of {@code s} whose UTF-8 size is at most {@code budget}. */
    static int prefixFitting(CharSequence s, int budget) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            boolean pair = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            int size = charBytes(s, i);
            if (used + size > budget) {
                break;
            }
            used += size;
            i += pair ? 2 : 1;
        }
        return i;
    }

    /** UTF-8 size of the code point at {@code i} (a pair counts 4, a lone surrogate 3). */
    private static int charBytes(CharSequence s, int i) {
        char c = s.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            return 4;
        }
        return 3;
    }
}
