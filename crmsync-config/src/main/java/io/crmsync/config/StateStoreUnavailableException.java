package io.crmsync.config;

import io.crmsync.client.CrmsyncException;

/**
 * The state store named by the configuration could not be opened: its database is down or
 * unreachable, or an embedded H2 file is held by another process. Not a configuration error (the
 * same configuration works once the database answers or the other process ends); the CLI exits 1.
 */
public final class StateStoreUnavailableException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the key and carries no password. */
    public StateStoreUnavailableException(String message, Throwable cause) {
        super(message, 0, NO_REQUEST, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
