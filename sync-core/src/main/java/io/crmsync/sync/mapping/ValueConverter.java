package io.crmsync.sync.mapping;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns an Efficy field's text into an APSIS attribute value. A blank field becomes
 * {@code null} (the attribute is cleared); a value that cannot be converted throws
 * {@link IllegalArgumentException} (the contact is quarantined with that reason).
 */
public enum ValueConverter {
    /** Trimmed text. */
    TEXT {
        @Override
        public Object convert(String value) {
            return blank(value) ? null : value.trim();
        }
    },
    /** A whole number as a long, otherwise a decimal. */
    NUMBER {
        @Override
        public Object convert(String value) {
            if (blank(value)) {
                return null;
            }
            try {
                BigDecimal d = new BigDecimal(value.trim().replace(',', '.'));
                return d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("is not a number");
            }
        }
    },
    /** Efficy's checkbox "0"/"1" (also true/false) as a boolean. */
    BOOLEAN {
        @Override
        public Object convert(String value) {
            if (blank(value)) {
                return null;
            }
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "1":
                case "true":
                    return true;
                case "0":
                case "false":
                    return false;
                default:
                    throw new IllegalArgumentException("is not 0 or 1");
            }
        }
    },
    /** An Efficy date or date-time as an ISO date ({@code yyyy-MM-dd}). */
    DATE {
        @Override
        public Object convert(String value) {
            if (blank(value)) {
                return null;
            }
            String v = value.trim();
            try {
                return LocalDate.parse(v.length() >= 10 ? v.substring(0, 10) : v)
                        .toString();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("is not a date");
            }
        }
    };

    /** Converts one value; see the class documentation. */
    public abstract Object convert(String value);

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
