package io.crmsync.client;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks both clients' builders make, with the same messages: each names the setting
 * and never echoes a value that could be a secret.
 */
public final class Checks {

    private Checks() {}

    /**
     * A non-blank text.
     *
     * @throws IllegalArgumentException naming {@code name} when it is null or blank
     */
    public static String nonBlank(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /**
     * A positive duration.
     *
     * @throws IllegalArgumentException naming {@code name} when it is zero or negative
     * @throws NullPointerException naming {@code name} when it is null
     */
    public static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
