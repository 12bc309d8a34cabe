package dev.rota.db.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rota.model.ResultMessage;
import dev.rota.model.RunLog;
import java.util.Iterator;
import java.util.Map;

/**
 * Makes text from outside storable in PostgreSQL. A {@code text} column refuses NUL, and {@code jsonb}
 * refuses the escape {@code \u0000}: one such character in a result used to fail the whole batch, every
 * time it was retried. Each NUL and each lone surrogate (not a code point at all) becomes U+FFFD, the
 * replacement character; everything else is kept as it is.
 */
final class Text {
    static final char REPLACEMENT = '\uFFFD';

    private Text() {
    }

    static String clean(String s) {
        if (s == null || isClean(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                out.append(REPLACEMENT);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static boolean isClean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The tree with every field name and string value cleaned; the same instance when nothing needed it. */
    static JsonNode clean(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            return isClean(text) ? node : TextNode.valueOf(clean(text));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            boolean changed = false;
            for (JsonNode element : node) {
                JsonNode c = clean(element);
                changed |= c != element;
                out.add(c);
            }
            return changed ? out : node;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            boolean changed = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = clean(e.getKey());
                JsonNode value = clean(e.getValue());
                changed |= !name.equals(e.getKey()) || value != e.getValue();
                out.set(name, value);
            }
            return changed ? out : node;
        }
        return node;
    }

    /**
     * The result with its worker id, error, JSON result and log cleaned, the log also cut to
     * {@link RunLog#MAX_BYTES} (after cleaning, since a replacement character is longer than a NUL).
     */
    static ResultMessage clean(ResultMessage m) {
        String worker = clean(m.workerId());
        String error = clean(m.error());
        JsonNode result = clean(m.result());
        String log = RunLog.truncate(clean(m.log()), RunLog.MAX_BYTES);
        if (worker == m.workerId() && error == m.error() && result == m.result() && log == m.log()) {
            return m;
        }
        return new ResultMessage(m.version(), m.runId(), m.attempt(), worker, m.status(), m.at(), error, result,
                m.startedAt(), log, m.sender());
    }
}
