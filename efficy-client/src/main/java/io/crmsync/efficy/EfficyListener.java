package io.crmsync.efficy;

import io.crmsync.efficy.error.EfficyException;
import java.time.Duration;

/**
 * Observes every HTTP request the client makes, for metrics and progress (in the manner of
 * OkHttp's {@code EventListener}). Each attempt produces one {@code requestStart} followed by
 * exactly one of {@code requestEnd} or {@code requestFailed}.
 *
 * <p>Listeners are called on the calling thread, must be fast, and must not throw: an exception
 * thrown by a listener is logged and ignored. All methods default to doing nothing.
 */
public interface EfficyListener {

    /** A listener that ignores every event. */
    EfficyListener NONE = new EfficyListener() {};

    /**
     * An attempt is about to be sent.
     *
     * @param operation what the request is for, e.g. {@code contactPage}
     * @param requestId the client's id for this request (the same for each attempt)
     * @param attempt 1 for the first attempt
     */
    default void requestStart(String operation, String requestId, int attempt) {}

    /** The attempt got an answer the client accepted. */
    default void requestEnd(String operation, String requestId, int attempt, int httpStatus, Duration elapsed) {}

    /** The attempt failed; the client may retry it. */
    default void requestFailed(
            String operation, String requestId, int attempt, EfficyException failure, Duration elapsed) {}
}
