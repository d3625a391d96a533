package io.crmsync.apsis.error;

import io.crmsync.client.CrmsyncException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Root of every failure the APSIS One client reports.
 *
 * <p>Carries the facts: HTTP status, the problem body's {@code title} and {@code detail}, the
 * method and path, and the client's request id (also in the logs). Profile keys in the path are
 * shown as {@code ***} and e-mail addresses in the problem text are masked, because both are
 * personal data; the client secret and the token never appear.
 *
 * <p>Subclasses by family: {@link ApsisValidationException} (400),
 * {@link ApsisAuthenticationException} (401), {@link ApsisPermissionException} (403),
 * {@link ApsisNotFoundException} (404), {@link ApsisConflictException} (409),
 * {@link ApsisGoneException} (410), {@link ApsisPayloadTooLargeException} (413),
 * {@link ApsisRateLimitException} (429), {@link ApsisServerException} (5xx),
 * {@link ApsisTransportException} (no usable answer).
 */
public class ApsisException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    private final String title;
    private final String detail;
    private final String method;
    private final String path;

    /**
     * Creates an exception.
     *
     * @param status HTTP status, 0 when no response arrived
     * @param title the problem title, may be null
     * @param detail the problem detail, may be null
     * @param method the HTTP method
     * @param path the path with profile keys redacted
     * @param requestId the client's request id
     * @param cause the underlying failure, may be null
     */
    public ApsisException(
            int status, String title, String detail, String method, String path, String requestId, Throwable cause) {
        super(format(status, mask(title), mask(detail), method, path, requestId), status, requestId, cause);
        this.title = mask(title);
        this.detail = mask(detail);
        this.method = method;
        this.path = path;
    }

    /** Replaces anything shaped like an e-mail address with {@code ***@***}. */
    public static String mask(String text) {
        return text == null ? null : text.replaceAll("[^\\s@'\"<>(),;:]+@[^\\s@'\"<>(),;:]+", "***@***");
    }

    private static String format(
            int status, String title, String detail, String method, String path, String requestId) {
        StringBuilder b = new StringBuilder("APSIS ").append(method).append(' ').append(path);
        b.append(" failed");
        if (status > 0) {
            b.append(": HTTP ").append(status);
        }
        if (title != null && !title.isEmpty()) {
            b.append(" ").append(title);
        }
        if (detail != null && !detail.isEmpty()) {
            b.append(" - ").append(detail);
        }
        return b.append(" [request ").append(requestId).append(']').toString();
    }

    /** The HTTP status; the same as {@link #httpStatus()}. */
    public OptionalInt status() {
        return httpStatus();
    }

    /** The problem body's title. */
    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    /** The problem body's detail (e-mail addresses masked). */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /** The HTTP method. */
    public String method() {
        return method;
    }

    /** The path, with profile keys shown as {@code ***}. */
    public String path() {
        return path;
    }
}
