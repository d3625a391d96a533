package io.crmsync.cluster;

import io.crmsync.client.CrmsyncException;

/**
 * A cluster operation that cannot be done: an unknown or duplicate tenant, a tenant whose
 * configuration is refused, or a shared table that cannot be reached. The message names the tenant
 * and what was wrong, never a secret.
 */
public class ClusterException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    /** An error with a message naming what was wrong. */
    public ClusterException(String message) {
        super(message, 0, NO_REQUEST, null);
    }

    /** An error with its cause. */
    public ClusterException(String message, Throwable cause) {
        super(message, 0, NO_REQUEST, cause);
    }
}
