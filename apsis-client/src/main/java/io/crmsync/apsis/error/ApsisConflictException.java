package io.crmsync.apsis.error;

/** HTTP 409 where the operation does not treat it as success: a merge conflict, for example. */
public class ApsisConflictException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisConflictException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
