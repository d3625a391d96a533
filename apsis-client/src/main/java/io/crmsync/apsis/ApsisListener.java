package io.crmsync.apsis;

import io.crmsync.apsis.error.ApsisException;
import java.time.Duration;

/**
 * Observes every HTTP request the client makes, for metrics (OkHttp {@code EventListener} style).
 * Each attempt gives one {@code requestStart} then one {@code requestEnd} or
 * {@code requestFailed}; waits for rate limits are reported by {@code throttled}.
 *
 * <p>Called on the calling thread; must be fast and must not throw (a throwing listener is logged
 * and ignored). The {@code route} is the method and path template with discriminators and keys
 * replaced by placeholders, e.g. {@code PATCH /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes},
 * so it is safe to use as a metric label.
 */
public interface ApsisListener {

    /** A listener that ignores every event. */
    ApsisListener NONE = new ApsisListener() {};

    /** An attempt is about to be sent. */
    default void requestStart(String route, String requestId, int attempt) {}

    /** The attempt got an answer the client accepted (2xx, or a status the operation tolerates). */
    default void requestEnd(String route, String requestId, int attempt, int status, Duration elapsed) {}

    /** The attempt failed. */
    default void requestFailed(String route, String requestId, int attempt, ApsisException failure, Duration elapsed) {}

    /** The client waited for a rate limit (its own, or a 429 from APSIS). */
    default void throttled(String route, String requestId, Duration wait) {}
}
