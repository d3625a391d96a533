package io.crmsync.efficy.error;

/**
 * The server refused the credentials or the session: HTTP 401/403, or an error text such as
 * "Invalid User" or "Please Logon to Database" that persisted after one retry with a new session.
 * Not retryable: fix the API key, user or customer alias.
 */
public class EfficyAuthenticationException extends EfficyException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link EfficyException#EfficyException}. */
    public EfficyAuthenticationException(String summary, String operation, String requestId, int httpStatus) {
        super(summary, operation, requestId, httpStatus, null);
    }
}
