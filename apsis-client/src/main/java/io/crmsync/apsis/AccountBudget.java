package io.crmsync.apsis;

import java.time.Duration;

/**
 * A request budget for one APSIS account that is shared beyond one client: APSIS limits requests
 * per account (100 a second), not per process, so clients of one account in several processes
 * must draw from one budget. The client asks it before every request, besides its own buckets,
 * and sleeps the larger of the two waits; waiting is not a failure.
 *
 * <p>The default is {@link #unshared()}: the client's own {@link RateLimits} alone. The
 * {@code crmsync-cluster} module ships one kept in PostgreSQL. Implementations are thread-safe,
 * and reserve: a slot handed out is spent, whether or not the caller then sends.
 *
 * <pre>{@code
 * ApsisClient apsis = ApsisClient.builder().clientId(id).clientSecret(secret)
 *     .accountBudget(sharedBudget).build();
 * }</pre>
 */
@FunctionalInterface
public interface AccountBudget {

    /**
     * Reserves the next request slot of the account and says how long to wait for it.
     *
     * @param clientId the account's client id
     * @return how long the caller waits before sending (zero when the slot is now)
     */
    Duration reserve(String clientId);

    /** No shared budget: the client's own rate limits alone. */
    static AccountBudget unshared() {
        return clientId -> Duration.ZERO;
    }
}
