package io.crmsync.config.webhook;

import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.reverse.TaskRequest;
import io.crmsync.sync.reverse.TaskWebhookResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hands admitted deliveries to an engine at once, as {@code serve} and the Spring starter do:
 * an Efficy webhook answers 200 with what the sync saw, a task webhook the engine's own status
 * (200 created or a duplicate, 404 no such contact, 422 no such user, 503 in progress).
 */
public final class EngineWebhookTarget implements WebhookTarget {

    private final SyncEngine engine;

    /** A target for {@code engine}. */
    public EngineWebhookTarget(SyncEngine engine) {
        this.engine = engine;
    }

    @Override
    public WebhookAnswer efficy(EfficyWebhookEvent event, byte[] body) {
        SyncReport report = engine.handleEfficyWebhook(new String(body, StandardCharsets.UTF_8));
        return WebhookAnswer.of(
                200,
                Map.of(
                        "outcome",
                        "synced",
                        "seen",
                        report.seen(),
                        "quarantined",
                        report.quarantined().size()));
    }

    @Override
    public WebhookAnswer task(TaskRequest request, byte[] body) {
        TaskWebhookResult r = engine.handleAuthenticatedTaskWebhook(body);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("outcome", r.outcome().toString());
        members.put("message", r.message());
        r.taskKey().ifPresent(k -> members.put("task", k));
        return WebhookAnswer.of(r.status(), members);
    }
}
