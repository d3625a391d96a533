package io.crmsync.efficy.error;

/**
 * The server or a proxy in front of it failed: HTTP 5xx, including an HTML 504 page from a
 * gateway on a long request. Retryable for requests that are safe to repeat.
 */
public class EfficyServerException extends EfficyException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link EfficyException#EfficyException}. */
    public EfficyServerException(String summary, String operation, String requestId, int status) {
        super(summary, operation, requestId, status, null);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
