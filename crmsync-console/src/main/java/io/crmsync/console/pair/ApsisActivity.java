package io.crmsync.console.pair;

import io.crmsync.apsis.ApsisListener;
import io.crmsync.apsis.error.ApsisException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Counts what an APSIS client sent in the last minute, and how often it waited for a rate limit,
 * for the overview's "APSIS request budget used" (APSIS allows 100 requests a second per
 * account: 6,000 a minute). Sixty one-second buckets; cheap enough for every request. Pass
 * {@link #andThen} the host's own listener (its metrics) to keep both. Thread-safe.
 *
 * <pre>{@code
 * ApsisActivity activity = new ApsisActivity();
 * ApsisClient apsis = cfg.apsis(activity.andThen(metrics.apsisListener()));
 * }</pre>
 */
public final class ApsisActivity implements ApsisListener {

    /** Requests APSIS allows an account in a minute (100 a second). */
    public static final int BUDGET_PER_MINUTE = 6000;

    private final Clock clock;
    private final long[] seconds = new long[60];
    private final long[] requests = new long[60];
    private final long[] throttled = new long[60];

    /** Counts on the system clock. */
    public ApsisActivity() {
        this(Clock.systemUTC());
    }

    /** Counts on a clock (tests). */
    public ApsisActivity(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void requestStart(String route, String requestId, int attempt) {
        count(requests);
    }

    @Override
    public void throttled(String route, String requestId, Duration wait) {
        count(throttled);
    }

    /** Requests sent in the last 60 seconds. */
    public long requestsLastMinute() {
        return sum(requests);
    }

    /** Waits for a rate limit in the last 60 seconds. */
    public long throttledLastMinute() {
        return sum(throttled);
    }

    /** This listener, then {@code next} (whose failures stay its own). */
    public ApsisListener andThen(ApsisListener next) {
        ApsisActivity self = this;
        return new ApsisListener() {
            @Override
            public void requestStart(String route, String requestId, int attempt) {
                self.requestStart(route, requestId, attempt);
                next.requestStart(route, requestId, attempt);
            }

            @Override
            public void requestEnd(String route, String requestId, int attempt, int status, Duration elapsed) {
                next.requestEnd(route, requestId, attempt, status, elapsed);
            }

            @Override
            public void requestFailed(
                    String route, String requestId, int attempt, ApsisException failure, Duration elapsed) {
                next.requestFailed(route, requestId, attempt, failure, elapsed);
            }

            @Override
            public void throttled(String route, String requestId, Duration wait) {
                self.throttled(route, requestId, wait);
                next.throttled(route, requestId, wait);
            }
        };
    }

    private synchronized void count(long[] counts) {
        long now = clock.millis() / 1000;
        int i = (int) (now % 60);
        if (seconds[i] != now) {
            seconds[i] = now;
            requests[i] = 0;
            throttled[i] = 0;
        }
        counts[i]++;
    }

    private synchronized long sum(long[] counts) {
        long now = clock.millis() / 1000;
        long total = 0;
        for (int i = 0; i < 60; i++) {
            if (now - seconds[i] < 60) {
                total += counts[i];
            }
        }
        return total;
    }
}
