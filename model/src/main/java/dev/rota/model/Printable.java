package dev.rota.model;

/**
 * Makes text from outside (job names, payloads, handler errors) safe to print in a log line or on a
 * terminal: control characters, line and paragraph separators and bidirectional overrides become
 * visible escapes ({@code \n}, {@code \r}, {@code \t}, {@code \u001b}, ...). A newline in a job name
 * then cannot start a forged log line, nor an escape sequence repaint the operator's terminal.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with every unsafe character escaped; null stays null. */
    public static String escape(CharSequence text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? text.toString() : b.toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
