package io.crmsync.apsis.error;

/** HTTP 404: the profile, section, keyspace or other resource does not exist. */
public class ApsisNotFoundException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisNotFoundException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
