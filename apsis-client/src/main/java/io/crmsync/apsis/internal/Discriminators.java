package io.crmsync.apsis.internal;

/**
 * Checks discriminators (keyspaces, sections, attributes, topics, channels, tags) before a request
 * is sent: not blank, no whitespace or control characters, at most 200 characters.
 */
public final class Discriminators {

    private Discriminators() {}

    /**
     * Returns the discriminator when it is usable.
     *
     * @param what what it is, for the message (e.g. "section")
     * @throws IllegalArgumentException naming {@code what}
     */
    public static String require(String what, String discriminator) {
        if (discriminator == null || discriminator.isBlank()) {
            throw new IllegalArgumentException(what + " discriminator must not be blank");
        }
        if (discriminator.length() > 200 || !discriminator.matches("[^\\s\\p{Cntrl}]+")) {
            throw new IllegalArgumentException(
                    what + " discriminator '" + discriminator + "' must be at most 200 characters without spaces");
        }
        return discriminator;
    }
}
