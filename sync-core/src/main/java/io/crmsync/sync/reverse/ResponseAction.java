package io.crmsync.sync.reverse;

import java.util.Locale;
import java.util.Objects;

/**
 * One thing reverse sync does in Efficy for an email event: write a history record (an
 * {@code Acti} marked done, linked to the contact, carrying the event's correlation id as its
 * source id) or set a contact field (to the event's time, or to a fixed value).
 *
 * <pre>{@code
 * ResponseAction.history();
 * ResponseAction.eventTimeTo("F_LAST_OPENED");
 * ResponseAction.set("F_BOUNCED", "1");
 * }</pre>
 *
 * @param kind what to do
 * @param field the contact field for {@link Kind#SET_FIELD} and {@link Kind#EVENT_TIME_TO_FIELD}
 * @param value the value for {@link Kind#SET_FIELD}
 */
public record ResponseAction(Kind kind, String field, String value) {

    /** The kinds of action. */
    public enum Kind {
        /** Write a history record. */
        HISTORY,
        /** Set a contact field to a fixed value. */
        SET_FIELD,
        /** Set a contact field to the event's time ({@code yyyy-MM-ddTHH:mm:ss}, UTC). */
        EVENT_TIME_TO_FIELD
    }

    /** Checks the field name. */
    public ResponseAction {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.HISTORY) {
            if (field == null || !field.matches("[A-Za-z0-9_$]+")) {
                throw new IllegalArgumentException("Efficy field name must match [A-Za-z0-9_$]+, was '" + field + "'");
            }
            field = field.toUpperCase(Locale.ROOT);
        }
        if (kind == Kind.SET_FIELD) {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Write a history record. */
    public static ResponseAction history() {
        return new ResponseAction(Kind.HISTORY, null, null);
    }

    /** Set a contact field to a fixed value (e.g. a bounce flag to "1"). */
    public static ResponseAction set(String field, String value) {
        return new ResponseAction(Kind.SET_FIELD, field, value);
    }

    /** Set a contact field to the event's time (e.g. a last-opened date). */
    public static ResponseAction eventTimeTo(String field) {
        return new ResponseAction(Kind.EVENT_TIME_TO_FIELD, field, null);
    }
}
