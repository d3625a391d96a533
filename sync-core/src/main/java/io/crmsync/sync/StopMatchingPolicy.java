package io.crmsync.sync;

/** What happens in APSIS to a synced contact that stops matching the {@link SyncCondition}. */
public enum StopMatchingPolicy {
    /** Leave the profile as it is; stop updating it. The default. */
    LEAVE,
    /** Opt the profile out of every mapped topic it was opted in to. */
    OPT_OUT,
    /** Delete the profile (account-wide, with its consents and events). */
    DELETE_PROFILE
}
