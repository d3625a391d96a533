package io.crmsync.testkit.apsis;

/**
 * The limits the APSIS emulator enforces, answering 429 (or 413) when one is exceeded. Defaults
 * are APSIS One's documented limits; tests that are not about limits relax them.
 *
 * @param enabled whether rate limits are enforced at all
 * @param perAccountPerSecond requests per second for the account
 * @param perProfilePerSecond requests per second for one profile key
 * @param tokenPerMinute token requests per minute
 * @param importsPerMinute import creations per minute
 * @param importsInFlight imports not yet completed or failed
 * @param exportsPerMinute email-event export requests per minute
 * @param retryAfter whether 429 answers carry a {@code Retry-After} header (the documentation
 *     mentions none, so off by default)
 * @param maxBodyBytes the body limit of ordinary endpoints (100 kB)
 */
public record ApsisLimits(
        boolean enabled,
        double perAccountPerSecond,
        double perProfilePerSecond,
        double tokenPerMinute,
        double importsPerMinute,
        int importsInFlight,
        double exportsPerMinute,
        boolean retryAfter,
        int maxBodyBytes) {

    /** APSIS One's documented limits. */
    public static ApsisLimits documented() {
        return new ApsisLimits(true, 100, 10, 10, 10, 3, 1, false, 100 * 1024);
    }

    /** No rate limits (the body limit and the 3 imports in flight still hold). */
    public static ApsisLimits relaxed() {
        return new ApsisLimits(false, 100, 10, 10, 10, 3, 1, false, 100 * 1024);
    }

    /** A copy that sends {@code Retry-After} with 429 answers. */
    public ApsisLimits withRetryAfter(boolean on) {
        return new ApsisLimits(
                enabled,
                perAccountPerSecond,
                perProfilePerSecond,
                tokenPerMinute,
                importsPerMinute,
                importsInFlight,
                exportsPerMinute,
                on,
                maxBodyBytes);
    }
}
