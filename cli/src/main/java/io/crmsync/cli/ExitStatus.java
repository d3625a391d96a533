package io.crmsync.cli;

import io.crmsync.apsis.error.ApsisAuthenticationException;
import io.crmsync.cluster.ClusterDatabaseUnavailableException;
import io.crmsync.cluster.ClusterException;
import io.crmsync.cluster.TenantSetupException;
import io.crmsync.config.ConfigException;
import io.crmsync.efficy.error.EfficyAuthenticationException;
import io.crmsync.sync.RunStoppedException;
import java.io.PrintStream;

/**
 * The exit statuses of {@code crmsync.jar}, and the one place a failure becomes a status and a
 * line on standard error that says what failed and what to check.
 */
final class ExitStatus {

    /** Done. */
    static final int OK = 0;
    /** The run failed; state is kept and the next run resumes. */
    static final int FAILED = 1;
    /** Bad usage or configuration; the message names the key. */
    static final int USAGE = 2;
    /** {@code validate} (or a tenant's validation) found problems, all listed. */
    static final int INVALID_SETUP = 3;

    private ExitStatus() {}

    /** Prints what went wrong in {@code command} and returns its status. */
    static int of(String command, RuntimeException e, PrintStream err) {
        if (e instanceof ConfigException) {
            err.println("crmsync: configuration error: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof TenantSetupException) {
            err.println("crmsync: " + command + ": " + e.getMessage());
            return INVALID_SETUP;
        }
        if (e instanceof ClusterDatabaseUnavailableException) {
            err.println("crmsync: " + command + " failed: " + e.getMessage() + "; check that PostgreSQL runs and that"
                    + " cluster.jdbcUrl names it");
            return FAILED;
        }
        if (e instanceof ClusterException) {
            err.println("crmsync: " + command + " failed: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof ApsisAuthenticationException) {
            err.println("crmsync: " + command + " failed: APSIS refused the credentials; check apsis.clientId and"
                    + " apsis.clientSecret (" + e.getMessage() + ")");
            return FAILED;
        }
        if (e instanceof EfficyAuthenticationException) {
            err.println("crmsync: " + command + " failed: Efficy refused the credentials; check efficy.apiKey (or"
                    + " efficy.user and efficy.password) and efficy.customer (" + e.getMessage() + ")");
            return FAILED;
        }
        if (e instanceof RunStoppedException) {
            err.println("crmsync: " + command + " stopped: " + e.getMessage() + "; the next run resumes from the last"
                    + " checkpoint");
            return FAILED;
        }
        err.println("crmsync: " + command + " failed: " + e.getMessage());
        return FAILED;
    }
}
