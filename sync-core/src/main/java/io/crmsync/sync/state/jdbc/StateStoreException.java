package io.crmsync.sync.state.jdbc;

import io.crmsync.client.CrmsyncException;

/** The state store's database failed; the message says which operation. */
public class StateStoreException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public StateStoreException(String message, Throwable cause) {
        super(message, 0, NO_REQUEST, cause);
    }
}
