package io.crmsync.apsis.error;

/** HTTP 403 not caused by an expired token: the API key lacks a permission (for example the keyspace's manage_subscriptions flag, or WRITE on an attribute). */
public class ApsisPermissionException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisPermissionException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
