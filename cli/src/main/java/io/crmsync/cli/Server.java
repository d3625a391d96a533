package io.crmsync.cli;

import io.crmsync.config.jobs.JobCatalog;
import io.crmsync.config.jobs.JobScheduler;
import io.crmsync.config.webhook.EngineWebhookTarget;
import io.crmsync.config.webhook.InFlightBytes;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookCredentials;
import io.crmsync.config.webhook.WebhookGate;
import io.crmsync.config.webhook.WebhookKind;
import io.crmsync.sync.SyncEngine;
import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The CLI's {@code serve}: runs the {@link JobCatalog}'s jobs on schedules (the first full sync
 * on an empty store, then polls; reverse sync and query tags when configured) and answers the
 * webhooks through the {@link WebhookGate} every host uses: {@code POST /webhooks/efficy/<secret>}
 * (or the secret in {@code X-Crmsync-Secret}) and {@code POST /webhooks/apsis-task};
 * {@code GET /health} says it is up and {@code GET /metrics} gives the Prometheus text. The HTTP
 * limits (body deadline, a bounded work queue, an answer to every malformed request) are
 * {@link HttpFront}'s.
 */
public final class Server implements AutoCloseable {

    private static final String EFFICY_PATH = "/webhooks/efficy";

    private final Supplier<String> metrics;
    private final WebhookGate gate;
    private final JobScheduler jobs;
    private final HttpFront front;

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
        this.metrics = metrics;
        this.gate = new WebhookGate(credentials, new EngineWebhookTarget(engine), InFlightBytes.defaults());
        this.front = new HttpFront(address, port, this::route);
        this.jobs = JobScheduler.start(catalog, engine);
    }

    /** Where the server listens. */
    public URI baseUri() {
        return front.baseUri();
    }

    /** The schedules (their last runs). */
    public JobScheduler jobs() {
        return jobs;
    }

    /** Routes a request; every path answers, unknown ones 404. */
    private void route(String path, Exchange ex) {
        if (path.equals("/health")) {
            health(ex);
        } else if (path.equals("/metrics") && metrics != null) {
            metrics(ex, metrics);
        } else if (path.equals(EFFICY_PATH) || path.startsWith(EFFICY_PATH + "/")) {
            String rest = path.substring(EFFICY_PATH.length());
            ex.webhook(gate, WebhookKind.EFFICY, rest.isEmpty() ? null : rest.substring(1));
        } else if (path.equals("/webhooks/apsis-task")) {
            ex.webhook(gate, WebhookKind.APSIS_TASK, null);
        } else {
            ex.refuse(WebhookAnswer.error(404, "no such path"));
        }
    }

    /** {@code GET /health}: up. */
    static void health(Exchange ex) {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            ex.refuse(WebhookAnswer.error(405, "GET only"));
        } else {
            ex.answer(200, Exchange.object().put("status", "up"));
        }
    }

    /** {@code GET /metrics}: the Prometheus text. */
    static void metrics(Exchange ex, Supplier<String> metrics) {
        if (!ex.method().equals("GET")) {
            ex.refuse(WebhookAnswer.error(405, "GET only"));
        } else {
            ex.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
        }
    }

    @Override
    public void close() {
        jobs.close();
        front.close();
    }
}
