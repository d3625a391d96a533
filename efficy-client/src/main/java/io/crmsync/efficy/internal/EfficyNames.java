package io.crmsync.efficy.internal;

import java.util.regex.Pattern;

/**
 * Checks names that the client places into requests or SQL text: entity codes, table names, field
 * names, category names. A name must match {@code [A-Za-z0-9_$]+}; anything else is refused
 * before a request is sent, because names go into SQL templates. Values never go into SQL text:
 * they are always sent as {@code :pN} parameters.
 */
public final class EfficyNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_$]+");

    private EfficyNames() {}

    /**
     * Returns {@code name} when it is a valid Efficy name.
     *
     * @param what what the name is, for the error message (e.g. "field", "table")
     * @throws IllegalArgumentException naming {@code what} and the bad value
     */
    public static String require(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    what + " name must match [A-Za-z0-9_$]+, was " + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    /**
     * Returns {@code key} when it is a usable record key (positive).
     *
     * @throws IllegalArgumentException naming {@code what}
     */
    public static long requireKey(String what, long key) {
        if (key <= 0) {
            throw new IllegalArgumentException(what + " key must be positive, was " + key);
        }
        return key;
    }

    /**
     * Returns {@code value} when it is neither null nor blank.
     *
     * @throws IllegalArgumentException naming {@code what}
     */
    public static String requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
