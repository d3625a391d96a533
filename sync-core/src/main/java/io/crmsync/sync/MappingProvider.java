package io.crmsync.sync;

import io.crmsync.sync.mapping.FieldMapping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Supplies the field mapping (Efficy field → APSIS attribute) and its version. The version is
 * part of every stored fingerprint, so changing it makes the next full sync re-send every
 * contact's attributes; {@link #of(List)} derives it from the mappings themselves, so any change
 * to the list changes it.
 *
 * <p>The mapping must include the e-mail attribute ({@code com.apsis1.attributes.email}) for
 * e-mail consent and e-mail change handling, and the mobile attribute for SMS consent.
 *
 * <pre>{@code
 * MappingProvider mapping = MappingProvider.of(List.of(
 *     FieldMapping.text("EMAIL1", "com.apsis1.attributes.email"),
 *     FieldMapping.text("FIRSTNAME", "com.apsis1.attributes.firstname"),
 *     new FieldMapping("F_SCORE", "usercreated.attributes.score-a1b2c3d4e5", ValueConverter.NUMBER)));
 * }</pre>
 */
public interface MappingProvider {

    /** The e-mail attribute. */
    String EMAIL_ATTRIBUTE = "com.apsis1.attributes.email";
    /** The mobile attribute. */
    String MOBILE_ATTRIBUTE = "com.apsis1.attributes.mobile";

    /** The mappings. */
    List<FieldMapping> mappings();

    /** The mapping version; change it when the meaning of the mapping changes. */
    String version();

    /** The field mapped to an attribute, if any. */
    default Optional<FieldMapping> forAttribute(String attribute) {
        return mappings().stream().filter(m -> m.attribute().equals(attribute)).findFirst();
    }

    /** A provider whose version is a digest of the mappings. */
    static MappingProvider of(List<FieldMapping> mappings) {
        List<FieldMapping> copy = List.copyOf(mappings);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the field mapping is empty");
        }
        long distinct = copy.stream().map(FieldMapping::attribute).distinct().count();
        if (distinct != copy.size()) {
            throw new IllegalArgumentException("two fields map to the same APSIS attribute");
        }
        String version = digest(copy.toString());
        return new MappingProvider() {
            @Override
            public List<FieldMapping> mappings() {
                return copy;
            }

            @Override
            public String version() {
                return version;
            }

            @Override
            public String toString() {
                return "MappingProvider{" + copy.size() + " fields, version " + version + "}";
            }
        };
    }

    /**
     * The usual contact fields: EMAIL1 → e-mail, MOBILE → mobile, FIRSTNAME → first name, NAME →
     * last name.
     */
    static MappingProvider defaults() {
        return of(List.of(
                FieldMapping.text("EMAIL1", EMAIL_ATTRIBUTE),
                FieldMapping.text("MOBILE", MOBILE_ATTRIBUTE),
                FieldMapping.text("FIRSTNAME", "com.apsis1.attributes.firstname"),
                FieldMapping.text("NAME", "com.apsis1.attributes.lastname")));
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(Objects.requireNonNull(text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
