package io.crmsync.apsis;

import java.net.URI;
import java.util.Locale;

/** APSIS One API regions. */
public enum Region {
    /** Europe: {@code https://api.apsis.one}. */
    EU("https://api.apsis.one"),
    /** Asia-Pacific: {@code https://api-apac.apsis.one}. */
    APAC("https://api-apac.apsis.one");

    private final URI baseUri;

    Region(String baseUri) {
        this.baseUri = URI.create(baseUri);
    }

    /** The region's API base URI. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Reads a region name, case-insensitive.
     *
     * @throws IllegalArgumentException naming the value and the valid ones
     */
    public static Region of(String name) {
        if (name != null) {
            for (Region r : values()) {
                if (r.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown APSIS region '" + name + "'; use EU or APAC");
    }
}
