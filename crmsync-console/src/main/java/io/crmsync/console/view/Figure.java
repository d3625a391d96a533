package io.crmsync.console.view;

import java.util.Objects;

/**
 * One named figure on the overview: poll lag, imports in flight, the APSIS request budget used.
 *
 * @param name what it measures, e.g. {@code poll lag}
 * @param value its value as shown, with its unit, e.g. {@code 12 s}
 * @param warning whether it is outside what is normal (shown highlighted)
 */
public record Figure(String name, String value, boolean warning) {

    /** Checks the parts. */
    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** A figure within normal bounds. */
    public static Figure of(String name, String value) {
        return new Figure(name, value, false);
    }
}
