package io.crmsync.client;

import java.util.OptionalInt;

/**
 * The root of every exception crmsync throws: the Efficy client's ({@code EfficyException}), the
 * APSIS client's ({@code ApsisException}) and the engine's. One {@code catch} covers them all, and
 * every one answers the same questions: the HTTP status when there was one, the request id to
 * quote to support, and whether trying again later can help.
 *
 * <p>Messages never carry a secret, and never the whole body of a request holding personal data.
 *
 * <pre>{@code
 * try {
 *   engine.fullSync(FullSyncOptions.defaults());
 * } catch (CrmsyncException e) {
 *   log.warn("sync failed (HTTP {}, request {}), retryable: {}", e.httpStatus(), e.requestId(), e.isRetryable());
 * }
 * }</pre>
 */
public class CrmsyncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The request id of a failure that belongs to no request. */
    public static final String NO_REQUEST = "-";

    private final int httpStatus;
    private final String requestId;

    /**
     * Creates the exception.
     *
     * @param message the full message (already free of secrets and personal data)
     * @param httpStatus the HTTP status, or 0 when there was none
     * @param requestId the client's id of the request, or {@link #NO_REQUEST}
     * @param cause the cause, or null
     */
    public CrmsyncException(String message, int httpStatus, String requestId, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.requestId = requestId == null ? NO_REQUEST : requestId;
    }

    /** The HTTP status of the failed exchange, when there was one. */
    public OptionalInt httpStatus() {
        return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
    }

    /** The client's id of the failed request (in log lines too), or {@code "-"}. */
    public String requestId() {
        return requestId;
    }

    /** Whether the same request may succeed later: a passing failure, not a refusal. False here. */
    public boolean isRetryable() {
        return false;
    }

    /** Whether the service asked the caller to slow down (HTTP 429). False here. */
    public boolean isThrottled() {
        return false;
    }
}
