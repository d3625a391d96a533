package io.crmsync.sync;

/** How a full sync writes to APSIS. */
public enum SyncMode {
    /** One call sequence per changed profile (create, attributes, consents). */
    PER_PROFILE,
    /** v2 CSV imports for creates and plain updates; per-profile calls for the rest. */
    IMPORT,
    /** Imports when a batch has at least the import threshold of writes, else per profile. */
    AUTO
}
