package io.crmsync.apsis;

import io.crmsync.client.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client-side limiter: one bucket for the account, one per profile key (forgotten when idle),
 * and buckets for the token, import and export endpoints, and the {@link AccountBudget} shared
 * with other processes. Waiting here is not a failure.
 */
final class RateLimiter {

    /** What a request counts against besides the account bucket. */
    enum Kind {
        ORDINARY,
        TOKEN,
        IMPORT_CREATE,
        EXPORT_CREATE
    }

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final RateLimits limits;
    private final Clock clock;
    private final Sleeper sleeper;
    private final TokenBucket account;
    private final TokenBucket token;
    private final TokenBucket imports;
    private final TokenBucket exports;
    private final Map<String, TokenBucket> profiles = new ConcurrentHashMap<>();
    private final Instant origin;
    private final AccountBudget budget;
    private final String clientId;

    RateLimiter(RateLimits limits, Clock clock, Sleeper sleeper) {
        this(limits, clock, sleeper, AccountBudget.unshared(), "");
    }

    RateLimiter(RateLimits limits, Clock clock, Sleeper sleeper, AccountBudget budget, String clientId) {
        this.budget = budget;
        this.clientId = clientId;
        this.limits = limits;
        this.clock = clock;
        this.sleeper = sleeper;
        this.origin = clock.instant();
        this.account = new TokenBucket(limits.perAccountPerSecond(), SECOND);
        this.token = new TokenBucket(limits.tokenPerMinute(), MINUTE);
        this.imports = new TokenBucket(limits.importsPerMinute(), MINUTE);
        this.exports = new TokenBucket(limits.exportsPerMinute(), MINUTE);
    }

    /**
     * Waits until a request may go out.
     *
     * @param kind which endpoint family the request belongs to
     * @param profileKey the profile key the request is about, or null
     * @return how long the caller waited
     */
    Duration acquire(Kind kind, String profileKey) throws InterruptedException {
        long now = now();
        long wait = account.reserve(now);
        switch (kind) {
            case TOKEN:
                wait = Math.max(wait, token.reserve(now));
                break;
            case IMPORT_CREATE:
                wait = Math.max(wait, imports.reserve(now));
                break;
            case EXPORT_CREATE:
                wait = Math.max(wait, exports.reserve(now));
                break;
            default:
                break;
        }
        if (profileKey != null) {
            TokenBucket bucket =
                    profiles.computeIfAbsent(profileKey, k -> new TokenBucket(limits.perProfilePerSecond(), SECOND));
            wait = Math.max(wait, bucket.reserve(now));
            if (profiles.size() > 10_000) {
                forgetIdle(now);
            }
        }
        wait = Math.max(wait, budget.reserve(clientId).toNanos());
        if (wait > 0) {
            sleeper.sleep(Duration.ofNanos(wait));
        }
        return Duration.ofNanos(wait);
    }

    private void forgetIdle(long now) {
        for (Iterator<TokenBucket> it = profiles.values().iterator(); it.hasNext(); ) {
            if (it.next().isIdle(now)) {
                it.remove();
            }
        }
    }

    private long now() {
        return Duration.between(origin, clock.instant()).toNanos();
    }
}
