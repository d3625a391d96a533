package io.crmsync.apsis.export;

import java.util.Locale;
import java.util.Optional;

/** The {@code type} column of the email event export. */
public enum EmailEventType {
    /** The message was sent. */
    SENT,
    /** The receiving server accepted it. */
    DELIVERED,
    /** It was opened. */
    OPENED,
    /** A link was clicked. */
    CLICKED,
    /** It bounced. */
    BOUNCED,
    /** The recipient unsubscribed. */
    UNSUBSCRIBED,
    /** The recipient reported it as spam. */
    ABUSE;

    /** Reads a column value; empty for a type this client does not know. */
    public static Optional<EmailEventType> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
