package io.crmsync.apsis.consent;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Consent 2.0 types. Only {@link #OPT_IN} and {@link #OPT_OUT} can be written through the API. */
public enum ConsentType {
    /** {@code opt-in}. */
    OPT_IN("opt-in"),
    /** {@code opt-out}. */
    OPT_OUT("opt-out"),
    /** {@code pending-opt-in} (double opt-in started; read-only). */
    PENDING_OPT_IN("pending-opt-in"),
    /** {@code confirmed-opt-in} (double opt-in confirmed; read-only). */
    CONFIRMED_OPT_IN("confirmed-opt-in");

    private final String wire;

    ConsentType(String wire) {
        this.wire = wire;
    }

    /** The value on the wire. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether the type means the profile may be contacted. */
    public boolean isOptedIn() {
        return this == OPT_IN || this == CONFIRMED_OPT_IN;
    }

    /** Reads a wire value. */
    @JsonCreator
    public static ConsentType of(String wire) {
        for (ConsentType t : values()) {
            if (t.wire.equals(wire.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown consent type '" + wire + "'");
    }
}
