package dev.rota.worker.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Turns a handler's exception into the error text of a FAILED result. */
final class Errors {
    /** Results travel through the broker and into the database; a runaway message must not. */
    static final int MAX_LENGTH = 4000;
    private static final int MAX_CAUSES = 5;

    private Errors() {
    }

    /** {@code class: message; caused by class: message ...}, cut at {@link #MAX_LENGTH} characters. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder(one(error));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(error);
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && seen.add(cause) && depth < MAX_CAUSES; depth++) {
            text.append("; caused by ").append(one(cause));
            cause = cause.getCause();
        }
        return text.length() <= MAX_LENGTH ? text.toString() : text.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String one(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
    }
}
