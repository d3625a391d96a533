package io.crmsync.config.webhook;

import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.reverse.TaskRequest;

/**
 * Where a delivery goes once {@link WebhookGate} admitted it: the engine at once ({@code serve},
 * the starter: {@link EngineWebhookTarget}), or a queue (the cluster). A target may throw: the
 * gate answers 503 and the sender retries.
 */
public interface WebhookTarget {

    /** Handles an authenticated Efficy change webhook whose body parsed as {@code event}. */
    WebhookAnswer efficy(EfficyWebhookEvent event, byte[] body);

    /** Handles an authenticated task webhook whose payload parsed as {@code request}. */
    WebhookAnswer task(TaskRequest request, byte[] body);
}
