package io.crmsync.apsis.imports;

import java.util.Locale;

/** The states an import passes through. */
public enum ImportStatus {
    /** Waiting for the file upload. */
    WAITING_FOR_FILE,
    /** Queued for processing. */
    QUEUED,
    /** Being processed. */
    IN_PROGRESS,
    /** Done. */
    COMPLETED,
    /** Failed; see the import's result. */
    ERROR;

    /** Whether the import will not change any more. */
    public boolean isFinal() {
        return this == COMPLETED || this == ERROR;
    }

    /** Reads a wire value such as {@code in_progress}. */
    public static ImportStatus of(String wire) {
        try {
            return valueOf(wire.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown import status '" + wire + "'");
        }
    }
}
