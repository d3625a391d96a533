package io.crmsync.apsis.error;

/** HTTP 413: the body exceeded APSIS's limit (100 kB for most endpoints). */
public class ApsisPayloadTooLargeException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisPayloadTooLargeException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
