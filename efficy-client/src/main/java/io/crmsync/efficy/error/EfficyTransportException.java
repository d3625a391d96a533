package io.crmsync.efficy.error;

/**
 * No usable answer arrived: an I/O error or timeout, an empty body, a body that is not JSON, or a
 * JSON shape that is not a batch answer. Retryable for requests that are safe to repeat, except
 * for malformed answers, which would come back the same.
 */
public class EfficyTransportException extends EfficyException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /**
     * Creates the exception.
     *
     * @param retryable whether another attempt may succeed (true for I/O errors and timeouts)
     */
    public EfficyTransportException(
            String summary, String operation, String requestId, int httpStatus, boolean retryable, Throwable cause) {
        super(summary, operation, requestId, httpStatus, cause);
        this.retryable = retryable;
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }
}
