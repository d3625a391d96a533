package io.crmsync.cluster;

import io.crmsync.config.webhook.InFlightBytes;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.config.webhook.WebhookTarget;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's webhook gates, one per call: the tenant looked up (unless the database is known to be
 * down), its credentials resolved, and its deliveries queued. One budget of bytes in flight for the
 * whole node. A lookup that takes longer than {@link #LOOKUP_WAIT} counts as an outage (503 at
 * once): when the database has just gone, a pool waits up to its connection timeout, and the
 * caller's connection, idle meanwhile, would be closed on it. Thread-safe. Package-private;
 * {@link ClusterNode#webhookGate} documents the answers.
 */
final class TenantGates {

    private static final Logger LOG = LoggerFactory.getLogger(TenantGates.class);
    private static final WebhookCredentials NO_WEBHOOKS = new WebhookCredentials(null, null);
    private static final String DATABASE_DOWN = "the cluster's database does not answer; deliver it again later";
    private static final String CANNOT_CHECK = "the tenant's webhooks cannot be checked now; deliver it again later";

    private final TenantRegistry registry;
    private final TenantConfigs configs;
    private final DatabaseOutage outage;
    private final Function<String, WebhookTarget> queue;
    private final InFlightBytes inFlight = InFlightBytes.defaults();

    /** How long a call waits for its tenant's row before the database counts as down. */
    static final Duration LOOKUP_WAIT = Duration.ofSeconds(2);

    /** Threads that look tenants up. */
    static final int LOOKUP_THREADS = 16;

    private final ThreadPoolExecutor lookups = lookupThreads();

    private static ThreadPoolExecutor lookupThreads() {
        // More threads than any host's front has workers (8), so a lookup never waits for a thread and
        // a burst on a slow but live database is not taken for an outage; idle ones end after 30 s.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                LOOKUP_THREADS, LOOKUP_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "crmsync-tenant-lookup");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    TenantGates(
            TenantRegistry registry,
            TenantConfigs configs,
            DatabaseOutage outage,
            Function<String, WebhookTarget> queue) {
        this.registry = registry;
        this.configs = configs;
        this.outage = outage;
        this.queue = queue;
    }

    WebhookGate gate(String tenantId) {
        try {
            Tenant.checkId(tenantId);
        } catch (ClusterException badId) {
            return new WebhookGate(NO_WEBHOOKS, null, inFlight);
        }
        if (outage.down()) {
            return WebhookGate.unavailable(DATABASE_DOWN);
        }
        Optional<Tenant> tenant;
        try {
            tenant = lookUp(tenantId);
        } catch (RuntimeException unavailable) {
            if (DatabaseOutage.isDatabaseFailure(unavailable)) {
                outage.failed(unavailable);
                return WebhookGate.unavailable(DATABASE_DOWN);
            }
            // The row is there but no longer a valid tenant (a rule tightened since it was stored).
            LOG.warn("tenant {}: its stored configuration cannot be read: {}", tenantId, unavailable.getMessage());
            return WebhookGate.unavailable(CANNOT_CHECK);
        }
        if (tenant.isEmpty()) {
            return new WebhookGate(NO_WEBHOOKS, null, inFlight);
        }
        WebhookCredentials credentials;
        try {
            credentials = WebhookCredentials.from(configs.of(tenant.get()));
        } catch (RuntimeException e) {
            LOG.warn("tenant {}: its webhook credentials cannot be read: {}", tenantId, e.getMessage());
            return WebhookGate.unavailable(CANNOT_CHECK);
        }
        return new WebhookGate(credentials, queue.apply(tenantId), inFlight);
    }

    /** The registry's row, waited for {@link #LOOKUP_WAIT} at most. */
    private Optional<Tenant> lookUp(String tenantId) {
        Future<Optional<Tenant>> row = lookups.submit(() -> registry.find(tenantId));
        try {
            return row.get(LOOKUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new ClusterException(e.getCause().toString(), e);
        } catch (TimeoutException e) {
            row.cancel(true);
            throw new ClusterException(
                    "the tenant registry did not answer within " + LOOKUP_WAIT.toSeconds() + " s",
                    new SQLTimeoutException("lookup timed out"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while looking up tenant " + tenantId, e);
        }
    }

    /** Stops the lookup threads. */
    void close() {
        lookups.shutdownNow();
    }
}
