package io.crmsync.sync.mapping;

import java.util.Locale;
import java.util.Objects;

/**
 * One Efficy contact field sent to one APSIS attribute, through a converter.
 *
 * @param field the Efficy field (e.g. {@code FIRSTNAME}, {@code F_CUSTOMER_TIER})
 * @param attribute the APSIS attribute discriminator
 * @param converter how the value is converted
 */
public record FieldMapping(String field, String attribute, ValueConverter converter) {

    /** Checks and normalises the field name to upper case. */
    public FieldMapping {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(converter, "converter");
        if (!field.matches("[A-Za-z0-9_$]+")) {
            throw new IllegalArgumentException("Efficy field name must match [A-Za-z0-9_$]+, was '" + field + "'");
        }
        if (attribute.isBlank() || attribute.contains(" ")) {
            throw new IllegalArgumentException("attribute discriminator '" + attribute + "' is blank or has spaces");
        }
        field = field.toUpperCase(Locale.ROOT);
    }

    /** A text mapping. */
    public static FieldMapping text(String field, String attribute) {
        return new FieldMapping(field, attribute, ValueConverter.TEXT);
    }
}
