package io.crmsync.testkit.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour an emulator can be told to show: an HTTP status with a problem body, an HTML 504
 * page as a gateway would send, a connection closed without an answer, or a delay before the
 * normal answer, a 429 with {@code Retry-After}, or an answer lost after the write (the request
 * is carried out, then the connection is closed without an answer, as when a proxy or the network
 * drops the reply).
 *
 * <pre>{@code
 * emulator.faults().next(2, Fault.status(503));
 * emulator.faults().next(1, Fault.connectionReset());
 * }</pre>
 */
public final class Fault {

    /** The kinds of fault. */
    public enum Kind {
        /** Answer the given status. */
        STATUS,
        /** Answer 504 with an HTML page. */
        HTML_504,
        /** Close the connection without answering. */
        CONNECTION_RESET,
        /** Wait, then answer normally. */
        DELAY,
        /** Answer 429 with a {@code Retry-After} header. */
        TOO_MANY_REQUESTS,
        /** Carry the request out, then close the connection without sending the answer. */
        ANSWER_LOST
    }

    private final Kind kind;
    private final int status;
    private final Duration delay;

    private Fault(Kind kind, int status, Duration delay) {
        this.kind = kind;
        this.status = status;
        this.delay = delay;
    }

    /** Answer {@code status} (e.g. 500, 503, 429) with a short body. */
    public static Fault status(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        return new Fault(Kind.STATUS, status, Duration.ZERO);
    }

    /** Answer 504 with an HTML page, as a reverse proxy does on a long request. */
    public static Fault html504() {
        return new Fault(Kind.HTML_504, 504, Duration.ZERO);
    }

    /** Close the connection without an answer. */
    public static Fault connectionReset() {
        return new Fault(Kind.CONNECTION_RESET, 0, Duration.ZERO);
    }

    /** Wait {@code delay}, then answer normally. */
    public static Fault delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return new Fault(Kind.DELAY, 0, delay);
    }

    /** Answer 429 with {@code Retry-After: <seconds>} (whole seconds, as the header requires). */
    public static Fault tooManyRequests(Duration retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        return new Fault(Kind.TOO_MANY_REQUESTS, 429, retryAfter);
    }

    /**
     * Carry the request out (its writes take effect), then close the connection without answering:
     * the client sees a dropped connection for a request that did happen.
     */
    public static Fault answerLost() {
        return new Fault(Kind.ANSWER_LOST, 0, Duration.ZERO);
    }

    /** The kind. */
    public Kind kind() {
        return kind;
    }

    /** The status for {@link Kind#STATUS}, {@link Kind#HTML_504} and {@link Kind#TOO_MANY_REQUESTS}. */
    public int statusCode() {
        return status;
    }

    /** The delay for {@link Kind#DELAY}, and the {@code Retry-After} for {@link Kind#TOO_MANY_REQUESTS}. */
    public Duration delay() {
        return delay;
    }

    @Override
    public String toString() {
        return "Fault{" + kind + (kind == Kind.STATUS ? " " + status : "")
                + (kind == Kind.DELAY || kind == Kind.TOO_MANY_REQUESTS ? " " + delay : "") + "}";
    }
}
