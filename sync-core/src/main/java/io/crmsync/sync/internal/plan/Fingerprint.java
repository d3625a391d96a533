package io.crmsync.sync.internal.plan;

import io.crmsync.sync.state.ContactSnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
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

    /**
     * Each thread's digest and byte buffer: a fingerprint is taken once per contact read, so it
     * allocates nothing but its result (the bytes digested are exactly those of the original
     * definition: length-prefixed UTF-8, which {@code FingerprintTest} pins with known values).
     */
    private static final ThreadLocal<Sink> SINK = ThreadLocal.withInitial(Sink::new);

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** Checks that the value looks like a fingerprint. */
    public Fingerprint {
        Objects.requireNonNull(value, "value");
        if (!isHex64(value)) {
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
        return new Fingerprint(hexOf(mappingVersion, values));
    }

    /**
     * The {@link #value} of {@link #of}, without the check a value read from elsewhere needs (the
     * planner takes one per contact read).
     */
    static String hexOf(String mappingVersion, Map<String, ?> values) {
        Objects.requireNonNull(mappingVersion, "mappingVersion");
        Sink sink = SINK.get();
        sink.start(mappingVersion);
        Map<String, ?> sorted =
                values instanceof SortedMap<String, ?> s && s.comparator() == null ? values : new TreeMap<>(values);
        for (Map.Entry<String, ?> entry : sorted.entrySet()) {
            sink.text("", entry.getKey());
            Object v = entry.getValue();
            // A one-byte tag keeps null and "" (and "null") apart.
            sink.tag(v == null ? (byte) 0 : (byte) 1);
            sink.text("", v == null ? "" : v.toString());
        }
        return sink.hex();
    }

    /**
     * The planner's fingerprint of a contact: the same as {@link #hexOf(String, Map)} of the map
     * {@code "a:" + attribute -> ContactSnapshot.typedForm(value)} and {@code "c:" + slot -> ticked},
     * taken without building that map (every contact read takes one).
     */
    static String hexOf(String mappingVersion, Map<String, Object> attributes, Map<String, Boolean> consents) {
        Objects.requireNonNull(mappingVersion, "mappingVersion");
        Sink sink = SINK.get();
        sink.start(mappingVersion);
        for (String a : sorted(attributes.keySet())) { // "a:" sorts before "c:"
            sink.text("a:", a);
            sink.tag((byte) 1); // a typed form is never null
            Object v = attributes.get(a);
            if (v instanceof String text) {
                sink.text("s:", text);
            } else {
                sink.text("", ContactSnapshot.typedForm(v));
            }
        }
        for (String c : sorted(consents.keySet())) {
            sink.text("c:", c);
            sink.tag((byte) 1);
            sink.text("", consents.get(c).toString());
        }
        return sink.hex();
    }

    private static String[] sorted(Set<String> keys) {
        String[] sorted = keys.toArray(new String[0]);
        Arrays.sort(sorted);
        return sorted;
    }

    private static boolean isHex64(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Length-prefixed UTF-8 texts gathered in one buffer, then digested at once. */
    private static final class Sink {
        private final MessageDigest sha256;
        private byte[] buf = new byte[512];
        private int len;

        Sink() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK ships SHA-256", e);
            }
        }

        void start(String mappingVersion) {
            len = 0;
            text("", "mapping");
            text("", mappingVersion);
        }

        void tag(byte b) {
            room(1);
            buf[len++] = b;
        }

        /**
         * {@code prefix + text} as UTF-8, after its length in bytes (length-prefixing prevents
         * ("ab","c") and ("a","bc") from colliding). Encoded as the JDK encodes: a lone surrogate
         * becomes {@code ?}.
         */
        void text(String prefix, String text) {
            room(4 + 3 * (prefix.length() + text.length()));
            int start = len;
            len += 4;
            utf8(prefix);
            utf8(text);
            int size = len - start - 4;
            buf[start] = (byte) (size >>> 24);
            buf[start + 1] = (byte) (size >>> 16);
            buf[start + 2] = (byte) (size >>> 8);
            buf[start + 3] = (byte) size;
        }

        private void utf8(String s) {
            byte[] b = buf;
            int at = len;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    b[at++] = (byte) c;
                } else if (c < 0x800) {
                    b[at++] = (byte) (0xc0 | (c >> 6));
                    b[at++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    char low = i + 1 < s.length() ? s.charAt(i + 1) : 0;
                    if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
                        int cp = Character.toCodePoint(c, low);
                        b[at++] = (byte) (0xf0 | (cp >> 18));
                        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                        b[at++] = (byte) (0x80 | (cp & 0x3f));
                        i++;
                    } else {
                        b[at++] = '?';
                    }
                } else {
                    b[at++] = (byte) (0xe0 | (c >> 12));
                    b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    b[at++] = (byte) (0x80 | (c & 0x3f));
                }
            }
            len = at;
        }

        private void room(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        String hex() {
            sha256.update(buf, 0, len);
            byte[] hash = sha256.digest();
            byte[] hex = new byte[hash.length * 2];
            for (int i = 0; i < hash.length; i++) {
                hex[2 * i] = HEX[(hash[i] >> 4) & 15];
                hex[2 * i + 1] = HEX[hash[i] & 15];
            }
            return new String(hex, StandardCharsets.ISO_8859_1);
        }
    }
}
