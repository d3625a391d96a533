package io.crmsync.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far behind the tenants' polls are, as last counted (every 15 s on a started node, from the
 * shared run journal, so every node sees the whole cluster): a tenant's lag is the time since its
 * last poll that succeeded, anywhere; {@link TenantLag#intervals()} puts it in its own poll
 * intervals, so one alert ({@code > 3}) fits tenants polled every minute and every hour alike.
 * Paused tenants, tenants that poll never ({@code schedule.pollInterval=PT0S}) and tenants not
 * polled yet are left out of the lags.
 *
 * @param at when they were counted; {@link Instant#EPOCH} before the first count
 * @param tenants tenants with a lag
 * @param lagging tenants more than three intervals behind
 * @param worst the tenants furthest behind in intervals, at most {@value #WORST}, worst first
 */
public record PollLags(Instant at, long tenants, long lagging, List<TenantLag> worst) {

    /** How many tenants {@link #worst} holds at most. */
    public static final int WORST = 100;

    /** None counted yet. */
    public static final PollLags NONE = new PollLags(Instant.EPOCH, 0, 0, List.of());

    /** Copies the list. */
    public PollLags {
        worst = List.copyOf(worst);
    }

    /** The largest lag in intervals, or 0. */
    public double maxIntervals() {
        return worst.isEmpty() ? 0 : worst.get(0).intervals();
    }

    /**
     * One tenant's poll lag.
     *
     * @param tenant the tenant
     * @param lag the time since its last poll that succeeded
     * @param interval its poll interval
     */
    public record TenantLag(String tenant, Duration lag, Duration interval) {

        /** The lag in poll intervals. */
        public double intervals() {
            return (double) lag.toMillis() / Math.max(1, interval.toMillis());
        }
    }
}
