package io.crmsync.cluster;

import io.crmsync.config.webhook.InFlightBytes;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.config.webhook.WebhookTarget;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's webhook gates, one per call: the tenant looked up (unless the database is known to be
 * down), its credentials resolved, and its deliveries queued. One budget of bytes in flight for the
 * whole node. Thread-safe. Package-private; {@link ClusterNode#webhookGate} documents the answers.
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
            tenant = registry.find(tenantId);
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
}
