package io.crmsync.apsis.error;

/** HTTP 5xx, or 408: APSIS or a gateway failed or timed out. Retryable for idempotent requests. */
public class ApsisServerException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisServerException(int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
