package io.crmsync.testkit.internal.apsis;

import io.crmsync.testkit.apsis.ApsisLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The buckets of APSIS's documented limits for one account: requests per second for the account
 * and per profile key, token requests, import and export creations per minute. Each take answers
 * how long the caller would have to wait (0: go on). Internal.
 */
final class LimitBuckets {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final Clock clock;
    private final Instant origin;
    private volatile ApsisLimits limits;
    private Bucket account;
    private Bucket token;
    private Bucket importCreates;
    private Bucket exportCreates;
    private final Map<String, Bucket> perProfile = new ConcurrentHashMap<>();

    LimitBuckets(Clock clock) {
        this.clock = clock;
        this.origin = clock.instant();
    }

    /** New buckets for {@code l}. */
    synchronized void reset(ApsisLimits l) {
        this.limits = l;
        account = new Bucket(l.perAccountPerSecond(), SECOND);
        token = new Bucket(l.tokenPerMinute(), MINUTE);
        importCreates = new Bucket(l.importsPerMinute(), MINUTE);
        exportCreates = new Bucket(l.exportsPerMinute(), MINUTE);
        perProfile.clear();
    }

    /** A request of {@code route}, for {@code profileKey} when it names one: the wait in nanoseconds. */
    long take(String route, String profileKey) {
        long wait = take(account);
        if (wait == 0 && profileKey != null) {
            wait = take(perProfile.computeIfAbsent(profileKey, k -> new Bucket(limits.perProfilePerSecond(), SECOND)));
        }
        if (wait == 0 && route.equals("POST /v2/audience/sections/{s}/imports")) {
            wait = take(importCreates);
        }
        if (wait == 0 && route.equals("POST /emails/reports")) {
            wait = take(exportCreates);
        }
        return wait;
    }

    /** A token request: the wait in nanoseconds. */
    long takeToken() {
        return take(token);
    }

    private long take(Bucket bucket) {
        if (!limits.enabled()) {
            return 0;
        }
        return bucket.take(Duration.between(origin, clock.instant()).toNanos());
    }
}
