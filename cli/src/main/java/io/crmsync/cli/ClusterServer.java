package io.crmsync.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.cluster.ClusterNode;
import io.crmsync.cluster.ClusterStats;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookKind;
import io.crmsync.console.Console;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The HTTP side of {@code crmsync cluster}: every tenant's webhooks under {@code /t/<tenant>/},
 * through the same gate as {@code serve} ({@link ClusterNode#webhookGate}), queued as one-time
 * tasks on the cluster, whichever node received them.
 * <ul>
 *   <li>{@code POST /t/<tenant>/webhooks/efficy/<secret>} (or the secret in
 *       {@code X-Crmsync-Secret}): the tenant's Efficy change webhook;
 *   <li>{@code POST /t/<tenant>/webhooks/apsis-task}: the tenant's APSIS task webhook;
 *   <li>{@code GET /health}: the node's name, whether its database answers, and its counters
 *       (503 when the database does not answer; 503 {@code "starting"} with the reason while the
 *       node waits for its database at start, when webhooks get 503 with {@code Retry-After});
 *   <li>{@code GET /metrics}: the Prometheus text;
 *   <li>the console under {@code /console}, when {@code console.token} is set.
 * </ul>
 * The HTTP limits are {@link HttpFront}'s.
 */
public final class ClusterServer implements AutoCloseable {

    private volatile ClusterNode node;
    private volatile Console console;
    private volatile MetricsAccess metricsAccess = MetricsAccess.OPEN;
    private volatile String waiting = "the node is being built";
    private final Supplier<String> metrics;
    private final HttpFront front;

    /**
     * Starts listening for a node.
     *
     * @throws IOException when the address cannot be listened on
     */
    public ClusterServer(ClusterNode node, String address, int port, Supplier<String> metrics) throws IOException {
        this(address, port, metrics);
        attach(node);
    }

    /**
     * Starts listening before the node exists: {@code /health} says the node is starting, and why,
     * and webhooks get 503 until {@link #attach}.
     *
     * @throws IOException when the address cannot be listened on
     */
    public ClusterServer(String address, int port, Supplier<String> metrics) throws IOException {
        this.metrics = metrics;
        this.front = new HttpFront(address, port, this::route);
    }

    /** Serves the node from now on. */
    public void attach(ClusterNode node) {
        attach(node, null);
    }

    /** Serves the node, and its console under {@code /console} (null: no console), from now on. */
    public void attach(ClusterNode node, Console console) {
        this.console = console;
        this.node = Objects.requireNonNull(node, "node");
    }

    /** Whether a node is attached (before, the node waits for its database). */
    public boolean serving() {
        return node != null;
    }

    /** What the node waits for while it is not attached, for {@code /health}. */
    public void waiting(String why) {
        this.waiting = why;
    }

    /** Who may read {@code /metrics} from now on (the admin token's holders, once a token is set). */
    void metricsAccess(MetricsAccess access) {
        this.metricsAccess = access;
    }

    /** Where the server listens. */
    public URI baseUri() {
        return front.baseUri();
    }

    private void route(String path, Exchange ex) {
        if (path.equals("/health")) {
            health(ex);
            return;
        }
        if (path.equals("/metrics") && metrics != null) {
            Server.metrics(ex, metrics, metricsAccess);
            return;
        }
        ClusterNode node = this.node;
        Console console = this.console;
        if (console != null && (path.equals(console.mount()) || path.startsWith(console.mount() + "/"))) {
            ex.console(console, path.substring(console.mount().length()));
            return;
        }
        String[] parts = path.split("/", -1); // "", "t", tenant, "webhooks", kind[, secret]
        if (node == null && parts.length >= 5 && parts[1].equals("t")) {
            ex.refuse(WebhookAnswer.retryLater("the node is starting", 5));
            return;
        }
        if (parts.length >= 5 && parts[1].equals("t") && parts[3].equals("webhooks")) {
            // The tenant's gate reads the registry: on the work pool, never on Jetty's own threads.
            String tenant = parts[2];
            if (parts[4].equals("efficy") && parts.length <= 6) {
                String secret = parts.length == 6 ? parts[5] : null;
                ex.dispatch(() -> ex.webhook(node.webhookGate(tenant), WebhookKind.EFFICY, secret));
                return;
            }
            if (parts[4].equals("apsis-task") && parts.length == 5) {
                ex.dispatch(() -> ex.webhook(node.webhookGate(tenant), WebhookKind.APSIS_TASK, null));
                return;
            }
        }
        ex.refuse(WebhookAnswer.error(404, "no such path"));
    }

    private void health(Exchange ex) {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            ex.refuse(WebhookAnswer.error(405, "GET only"));
            return;
        }
        // Answered here, not on the work pool, so that health never waits behind webhook work.
        ClusterNode node = this.node;
        if (node == null) {
            ex.answer(503, Exchange.object().put("status", "starting").put("waitingFor", waiting));
            return;
        }
        boolean up = node.healthy();
        ClusterStats s = node.stats();
        ObjectNode json = Exchange.object()
                .put("status", up ? "up" : "database unreachable")
                .put("node", s.node())
                .put("runsSucceeded", s.runsSucceeded())
                .put("runsFenced", s.runsFenced())
                .put("runsFailed", s.runsFailed())
                .put("deliveriesHandled", s.deliveriesHandled())
                .put("deliveriesAccepted", s.deliveriesAccepted())
                .put("tasksAbandoned", s.tasksAbandoned())
                .put("enginesCached", s.enginesCached())
                .put("executionsDeferred", s.executionsDeferred())
                .put("revivalsPostponed", s.revivalsPostponed())
                .put("executionsDue", s.executionsDue())
                .put("executionsOverdue", s.executionsOverdue());
        ex.answer(up ? 200 : 503, json);
    }

    @Override
    public void close() {
        front.close();
    }
}
