package io.crmsync.sync;

/** What an Efficy webhook "Delete" of a contact does in APSIS. */
public enum DeletedContactPolicy {
    /** Delete the profile. */
    DELETE_PROFILE,
    /** Opt the profile out of every mapped topic it was opted in to. The default (keeps history). */
    OPT_OUT,
    /** Do nothing. */
    IGNORE
}
