package io.crmsync.apsis.error;

/**
 * No usable answer: an I/O error, a timeout, or a body that could not be read. Retryable for
 * idempotent requests when the cause is I/O or a timeout.
 */
public class ApsisTransportException extends ApsisException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /** Creates the exception; {@code retryable} says whether another attempt may succeed. */
    public ApsisTransportException(
            String summary, String method, String path, String requestId, boolean retryable, Throwable cause) {
        super(0, summary, null, method, path, requestId, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
