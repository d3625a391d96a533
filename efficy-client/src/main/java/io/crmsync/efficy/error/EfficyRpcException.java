package io.crmsync.efficy.error;

import java.util.Optional;

/**
 * Efficy answered, but reported an error for the batch, a context or a function: an
 * {@code "@name":"exception"} element, an {@code #error} on a context or a function, or an error
 * object in place of the result array. The server's error code and text are kept, together with
 * the context and function that failed when the server says which.
 *
 * <p>Not retryable: the same request would fail the same way. E-mail addresses quoted in the
 * server's text are masked in the message; {@link #errorString()} keeps the text as sent.
 */
public class EfficyRpcException extends EfficyException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final String errorString;
    private final String context;
    private final String function;

    /**
     * Creates the exception.
     *
     * @param errorCode the server's error code, may be null
     * @param errorString the server's error text, may be null
     * @param context the failing context (its {@code #id} or {@code @name}), may be null
     * @param function the failing function's {@code @name}, may be null
     */
    public EfficyRpcException(
            String operation, String requestId, String errorCode, String errorString, String context, String function) {
        super(summary(errorCode, errorString, context, function), operation, requestId, 200, null);
        this.errorCode = errorCode;
        this.errorString = errorString;
        this.context = context;
        this.function = function;
    }

    private static String summary(String code, String text, String context, String function) {
        StringBuilder b = new StringBuilder("RPC error");
        if (code != null && !code.isEmpty()) {
            b.append(' ').append(code);
        }
        if (text != null && !text.isEmpty()) {
            // The server may quote a value it refused; e-mail addresses in it are personal data.
            b.append(" - ").append(text.replaceAll("[^\\s@'\"<>(),;:]+@[^\\s@'\"<>(),;:]+", "***@***"));
        }
        if (context != null) {
            b.append(" in context ").append(context);
        }
        if (function != null) {
            b.append(" at function ").append(function);
        }
        return b.toString();
    }

    /** The server's error code (e.g. {@code TAGS-2108}). */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /** The server's error text. */
    public Optional<String> errorString() {
        return Optional.ofNullable(errorString);
    }

    /** The context that failed, when known. */
    public Optional<String> context() {
        return Optional.ofNullable(context);
    }

    /** The function that failed, when known. */
    public Optional<String> function() {
        return Optional.ofNullable(function);
    }
}
