package io.crmsync.apsis.error;

/** HTTP 429 that outlasted the client's throttling budget. Throttling is waited out by the client; this is raised only when waiting would exceed the budget. */
public class ApsisRateLimitException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisRateLimitException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }

    @Override
    public boolean isThrottled() {
        return true;
    }
}
