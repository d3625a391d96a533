package io.crmsync.apsis.error;

/** HTTP 401, or a refused token request: the client id or secret is wrong or revoked. */
public class ApsisAuthenticationException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisAuthenticationException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
