package io.crmsync.apsis.profile;

/** What creating a profile did. */
public enum CreateOutcome {
    /** HTTP 201: the profile was created. */
    CREATED,
    /** HTTP 409: a profile with that key already existed; nothing changed. */
    ALREADY_EXISTS
}
