package io.crmsync.sync;

import java.util.List;

/**
 * The outcome of {@link SyncEngine#validateSetup()}: every problem found, all at once, and what
 * was learned about the two accounts.
 *
 * @param problems what is wrong, each naming the thing at fault; empty when the setup is valid
 * @param efficyUser the Efficy user code the API key belongs to, or empty
 * @param efficyVersion the Efficy version, or empty when unknown
 */
public record SetupReport(List<String> problems, String efficyUser, String efficyVersion) {

    /** How a problem starts when Efficy refused the credentials (the API key, or user and password). */
    public static final String EFFICY_CREDENTIALS_REFUSED = "Efficy: the credentials were refused";

    /** How a problem starts when APSIS refused the client credentials. */
    public static final String APSIS_CREDENTIALS_REFUSED = "APSIS: the client credentials were refused";

    /** Copies the list. */
    public SetupReport {
        problems = List.copyOf(problems);
    }

    /** Whether no problem was found. */
    public boolean isValid() {
        return problems.isEmpty();
    }
}
