package io.crmsync.cluster;

import io.crmsync.apsis.AccountBudget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An APSIS account's request budget kept in PostgreSQL, so that one tenant's jobs on every node
 * together keep to the account's limit (APSIS: 100 requests/s per account, whichever process
 * sends them). Each request reserves the next slot with one statement on table
 * {@code crmsync_cluster_rate}: the generic cell rate algorithm, one row per account holding the
 * time the next request may go, advanced by {@code 1/rate} per request. The database's clock
 * ({@code clock_timestamp()}) is the only clock, so the nodes' clocks need not agree; the wait it
 * answers is shortened by half the statement's round trip, the time the answer spent coming back.
 * Slots are spaced evenly (no burst), so any second holds at most {@code rate} request starts.
 *
 * <p>Default rate: {@value #DEFAULT_RATE} requests/s, 10% under APSIS's 100. Slots are spaced by
 * the database's clock, but a request reaches APSIS when its thread wakes and its connection
 * sends, and a late one bunches with the next: measured at 95/s, a sliding second held up to 98
 * grants and 106 arrivals. The margin keeps arrivals under 100 in any second. When the database
 * cannot be reached, the request waits {@code 1/rate} and goes (the client's own limit still
 * holds), so an outage of the budget slows the cluster down rather than stopping it; that is
 * logged.
 *
 * <pre>{@code
 * AccountBudget budget = new SharedAccountBudget(dataSource, SharedAccountBudget.DEFAULT_RATE);
 * ApsisClient apsis = ApsisClient.builder().clientId(id).clientSecret(secret).accountBudget(budget).build();
 * }</pre>
 */
public final class SharedAccountBudget implements AccountBudget {

    private static final Logger LOG = LoggerFactory.getLogger(SharedAccountBudget.class);
    private static final String RESERVE = "insert into crmsync_cluster_rate as r (account, tat)"
            + " values (?, clock_timestamp() + make_interval(secs => ?))"
            + " on conflict (account) do update set tat = greatest(r.tat, clock_timestamp()) + make_interval(secs => ?)"
            + " returning extract(epoch from (r.tat - clock_timestamp())) - ?";

    /** The default rate per account, requests per second. */
    public static final double DEFAULT_RATE = 90;

    private final DataSource dataSource;
    private final double perSecond;

    /**
     * A budget of {@code requestsPerSecond} per account.
     *
     * @throws IllegalArgumentException when the rate is not positive
     */
    public SharedAccountBudget(DataSource dataSource, double requestsPerSecond) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be positive, was " + requestsPerSecond);
        }
        this.perSecond = requestsPerSecond;
    }

    /** The rate per account. */
    public double requestsPerSecond() {
        return perSecond;
    }

    @Override
    public Duration reserve(String clientId) {
        double interval = 1.0 / perSecond;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RESERVE)) {
            ps.setString(1, clientId);
            ps.setDouble(2, interval);
            ps.setDouble(3, interval);
            ps.setDouble(4, interval);
            long sent = System.nanoTime();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                // The database computed the wait about half a round trip before the answer arrived; take
                // that off, so a slow answer does not push this request into the next one's slot.
                long late = (System.nanoTime() - sent) / 2;
                long wait = (long) (rs.getDouble(1) * 1e9) - late;
                return wait <= 0 ? Duration.ZERO : Duration.ofNanos(wait);
            }
        } catch (SQLException e) {
            LOG.warn(
                    "the shared APSIS budget could not be reached ({}); spacing this request by {} s",
                    e.getSQLState(),
                    interval);
            return Duration.ofNanos((long) (interval * 1e9));
        }
    }

    @Override
    public String toString() {
        return "SharedAccountBudget{perSecond=" + perSecond + "}";
    }
}
