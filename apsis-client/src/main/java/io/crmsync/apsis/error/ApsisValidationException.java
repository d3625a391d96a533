package io.crmsync.apsis.error;

/** HTTP 400: the request was refused as invalid (a bad value, an unknown discriminator). Fix the input. */
public class ApsisValidationException extends ApsisException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception; see {@link ApsisException#ApsisException}. */
    public ApsisValidationException(
            int status, String title, String detail, String method, String path, String requestId) {
        super(status, title, detail, method, path, requestId, null);
    }
}
