package io.crmsync.sync.internal.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A short, stable digest of what was last sent to APSIS for one contact: the mapped values and
 * the version of the mapping that produced them.
 *
 * <p>Two fingerprints are equal exactly when the same mapping version produced the same values,
 * whatever order the values came in. Including the mapping version is what makes a mapping change
 * invalidate the "unchanged" shortcut of a full sync. A {@code null} value (a cleared field) is
 * distinct from an empty string.
 *
 * <pre>{@code
 * Fingerprint f = Fingerprint.of("v3", Map.of("com.apsis1.attributes.firstname", "Anna"));
 * }</pre>
 *
 * @param value lower-case hexadecimal SHA-256, 64 characters
 */
public record Fingerprint(String value) {

    /** Checks that the value looks like a fingerprint. */
    public Fingerprint {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint must be 64 hex characters, was: " + value);
        }
    }

    /**
     * Digests a mapping version and the mapped values.
     *
     * @param mappingVersion the version of the mapping that produced {@code values}
     * @param values mapped values by target name; values may be {@code null}
     */
    public static Fingerprint of(String mappingVersion, Map<String, ?> values) {
        Objects.requireNonNull(mappingVersion, "mappingVersion");
        MessageDigest digest = sha256();
        update(digest, "mapping");
        update(digest, mappingVersion);
        for (Map.Entry<String, ?> entry : new TreeMap<>(values).entrySet()) {
            update(digest, entry.getKey());
            Object v = entry.getValue();
            // A one-byte tag keeps null and "" (and "null") apart.
            digest.update(v == null ? (byte) 0 : (byte) 1);
            update(digest, v == null ? "" : v.toString());
        }
        return new Fingerprint(HexFormat.of().formatHex(digest.digest()));
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        // Length-prefixing prevents ("ab","c") and ("a","bc") from colliding.
        digest.update(new byte[] {
            (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
            (byte) (bytes.length >>> 8), (byte) bytes.length
        });
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
