package io.crmsync.efficy.error;

import io.crmsync.client.CrmsyncException;

/**
 * Root of every failure the Efficy client reports.
 *
 * <p>A {@link CrmsyncException}. Carries what is known of the failure: the operation (what the request was for), the client's
 * request id (also in the logs), the HTTP status when there was one, and whether retrying may help.
 * The message names the operation, the status and the request id; it never contains the API key,
 * the password, or the request body (which holds personal data).
 *
 * <p>Subclasses tell the families apart: {@link EfficyAuthenticationException},
 * {@link EfficyRpcException}, {@link EfficyServerException}, {@link EfficyTransportException}. An
 * HTTP error status outside those families (say 404 from a wrong base URI) is reported as this
 * root type.
 */
public class EfficyException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    private final String operation;

    /**
     * Creates an exception.
     *
     * @param summary what went wrong, without secrets or personal data
     * @param operation what the request was for
     * @param requestId the client's request id
     * @param httpStatus the HTTP status, or 0 when no response arrived
     * @param cause the underlying failure, may be null
     */
    public EfficyException(String summary, String operation, String requestId, int httpStatus, Throwable cause) {
        super(format(summary, operation, requestId, httpStatus), httpStatus, requestId, cause);
        this.operation = operation;
    }

    private static String format(String summary, String operation, String requestId, int status) {
        StringBuilder b = new StringBuilder("Efficy ").append(operation).append(" failed: ");
        b.append(summary);
        if (status > 0) {
            b.append(" (HTTP ").append(status).append(')');
        }
        return b.append(" [request ").append(requestId).append(']').toString();
    }

    /** What the request was for, e.g. {@code contactPage}. */
    public String operation() {
        return operation;
    }
}
