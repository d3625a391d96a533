package io.crmsync.cluster;

/**
 * The cluster's database did not answer: it is down, starting, or out of reach. Not a
 * configuration error; the same command may succeed once it answers. The message names the host
 * and why, never a password.
 */
public final class ClusterDatabaseUnavailableException extends ClusterException {

    private static final long serialVersionUID = 1L;

    /** An error naming the database and why it did not answer. */
    public ClusterDatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
