package io.crmsync.cli;

import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.jobs.JobScheduler;
import io.crmsync.config.webhook.EngineWebhookTarget;
import io.crmsync.config.webhook.InFlightBytes;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.config.webhook.WebhookKind;
import io.crmsync.console.Console;
import io.crmsync.sync.SyncEngine;
import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The CLI's {@code serve}: runs the {@link JobCatalog}'s jobs on schedules (the first full sync
 * on an empty store, then polls; reverse sync and query tags when configured) and answers the
 * webhooks through the {@link WebhookGate} every host uses: {@code POST /webhooks/efficy/<secret>}
 * (or the secret in {@code X-Crmsync-Secret}) and {@code POST /webhooks/apsis-task};
 * {@code GET /health} says it is up and {@code GET /metrics} gives the Prometheus text; the
 * {@link Console} under {@code /console} when it is on. A server may listen before its pair is set
 * up (the console's set-up wizard then writes the file): {@code /health} says {@code "setup"} and
 * webhooks get 503 until {@link #attach}. The HTTP limits (body deadline, a bounded work queue, an
 * answer to every malformed request) are {@link HttpFront}'s.
 */
public final class Server implements AutoCloseable {

    private static final String EFFICY_PATH = "/webhooks/efficy";

    /** What serves once the pair is attached. */
    private record Attached(WebhookGate gate, JobScheduler jobs, Supplier<String> metrics) {}

    private final Console console;
    private final HttpFront front;
    private volatile Attached attached;
    private volatile MetricsAccess metricsAccess = MetricsAccess.OPEN;

    /**
     * Starts serving and the schedules.
     *
     * @param metrics {@code GET /metrics}' text (the Prometheus exposition format), or null (404)
     * @throws IOException when the address cannot be listened on
     */
    public Server(
            SyncEngine engine,
            JobCatalog catalog,
            WebhookCredentials credentials,
            String address,
            int port,
            Supplier<String> metrics)
            throws IOException {
        this(address, port, null);
        attach(engine, catalog, credentials, metrics);
    }

    /**
     * Starts listening, with no pair yet: {@code /health} and the console (when not null).
     *
     * @throws IOException when the address cannot be listened on
     */
    public Server(String address, int port, Console console) throws IOException {
        this.console = console;
        this.front = new HttpFront(address, port, this::route);
    }

    /** Serves a pair from now on: its webhooks, its metrics, and its jobs on their schedules. */
    public void attach(
            SyncEngine engine, JobCatalog catalog, WebhookCredentials credentials, Supplier<String> metrics) {
        WebhookGate gate = new WebhookGate(credentials, new EngineWebhookTarget(engine), InFlightBytes.defaults());
        this.attached = new Attached(gate, JobScheduler.start(catalog, engine), metrics);
    }

    /** Who may read {@code /metrics} from now on (the admin token's holders, once a token is set). */
    void metricsAccess(MetricsAccess access) {
        this.metricsAccess = access;
    }

    /** Where the server listens. */
    public URI baseUri() {
        return front.baseUri();
    }

    /** The schedules (their last runs); null before {@link #attach}. */
    public JobScheduler jobs() {
        Attached a = attached;
        return a == null ? null : a.jobs();
    }

    /** Routes a request; every path answers, unknown ones 404. */
    private void route(String path, Exchange ex) {
        Attached a = attached;
        if (path.equals("/health")) {
            health(ex, a == null ? "setup" : "up");
        } else if (console != null && (path.equals(console.mount()) || path.startsWith(console.mount() + "/"))) {
            ex.console(console, path.substring(console.mount().length()));
        } else if (a == null && (path.startsWith("/webhooks/") || path.equals("/metrics"))) {
            ex.refuse(WebhookAnswer.retryLater("not set up yet", WebhookGate.RETRY_AFTER_SECONDS));
        } else if (path.equals("/metrics") && a.metrics() != null) {
            metrics(ex, a.metrics(), metricsAccess);
        } else if (path.equals(EFFICY_PATH) || path.startsWith(EFFICY_PATH + "/")) {
            String rest = path.substring(EFFICY_PATH.length());
            ex.webhook(a.gate(), WebhookKind.EFFICY, rest.isEmpty() ? null : rest.substring(1));
        } else if (path.equals("/webhooks/apsis-task")) {
            ex.webhook(a.gate(), WebhookKind.APSIS_TASK, null);
        } else {
            ex.refuse(WebhookAnswer.error(404, "no such path"));
        }
    }

    /** {@code GET /health}: up (or waiting for its set-up). */
    static void health(Exchange ex, String status) {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            ex.refuse(WebhookAnswer.error(405, "GET only"));
        } else {
            ex.answer(200, Exchange.object().put("status", status));
        }
    }

    /** {@code GET /metrics}: the Prometheus text, to those {@code access} admits (401 otherwise). */
    static void metrics(Exchange ex, Supplier<String> metrics, MetricsAccess access) {
        if (!access.admits(ex.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Authorization"))
                .flatMap(e -> e.getValue().stream())
                .toList())) {
            ex.refuse(WebhookAnswer.error(401, "the metrics need the admin token as a bearer token"));
        } else if (!ex.method().equals("GET")) {
            ex.refuse(WebhookAnswer.error(405, "GET only"));
        } else {
            ex.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
        }
    }

    @Override
    public void close() {
        Attached a = attached;
        if (a != null) {
            a.jobs().close();
        }
        front.close();
    }
}
