package dev.rota.model;

import java.util.regex.Pattern;

/**
 * Rules for the names that end up in queue names, routing keys and ZooKeeper paths: task types,
 * teams, namespaces and node ids. Dots are excluded so that a topic routing key
 * {@code team.taskType.state} stays unambiguous.
 */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

    private Names() {
    }

    /**
     * @return {@code value}, when valid
     * @throws IllegalArgumentException naming {@code what} and the rule, otherwise
     */
    public static String requireValid(String what, String value) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is invalid: use 1 to 63 letters, digits, '_' or '-',"
                    + " starting with a letter or digit");
        }
        return value;
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }
}
