package io.crmsync.config.webhook;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@link WebhookGate#admit} decided from a call's method, path and headers, before its body
 * was read: either a refusal to answer at once, or leave to read up to {@link #maxBodyBytes()}
 * bytes and pass them to {@link WebhookGate#deliver}. An admitted call holds bytes of the host's
 * {@link InFlightBytes} budget until {@link #close()}; closing twice is harmless.
 */
public final class Admission implements AutoCloseable {

    private final WebhookKind kind;
    private final WebhookAnswer refusal;
    private final Map<String, List<String>> headers;
    private final int maxBodyBytes;
    private final InFlightBytes budget;
    private final long reserved;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Admission(
            WebhookKind kind,
            WebhookAnswer refusal,
            Map<String, List<String>> headers,
            int maxBodyBytes,
            InFlightBytes budget,
            long reserved) {
        this.kind = kind;
        this.refusal = refusal;
        this.headers = headers;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
        this.reserved = reserved;
    }

    static Admission refused(WebhookKind kind, WebhookAnswer answer) {
        return new Admission(kind, answer, Map.of(), 0, null, 0);
    }

    static Admission admitted(
            WebhookKind kind,
            Map<String, List<String>> headers,
            int maxBodyBytes,
            InFlightBytes budget,
            long reserved) {
        return new Admission(kind, null, headers, maxBodyBytes, budget, reserved);
    }

    /** The answer to give at once, without reading the body; empty when the call is admitted. */
    public Optional<WebhookAnswer> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The most body bytes to read; a longer body is answered with {@link WebhookGate#tooLarge}. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The webhook called. */
    public WebhookKind kind() {
        return kind;
    }

    Map<String, List<String>> headers() {
        return headers;
    }

    /** Gives the reserved bytes back. */
    @Override
    public void close() {
        if (budget != null && closed.compareAndSet(false, true)) {
            budget.release(reserved);
        }
    }
}
