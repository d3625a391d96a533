package io.crmsync.apsis.error;

/** HTTP 410: the profile is locked (GDPR forget-and-block) or the resource expired. */
public class ApsisGoneException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisGoneException(int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
