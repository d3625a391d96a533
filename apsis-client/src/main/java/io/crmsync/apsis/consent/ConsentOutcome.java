package io.crmsync.apsis.consent;

/** What writing a consent did. */
public enum ConsentOutcome {
    /** HTTP 201: a new consent was recorded. */
    CREATED,
    /** HTTP 204 (or 200): an existing consent changed. */
    UPDATED,
    /** HTTP 409: the transition is not needed, typically the same type is already set. */
    NO_CHANGE
}
