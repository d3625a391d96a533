package io.crmsync.config.webhook;

import io.crmsync.client.Nullable;
import io.crmsync.config.ConfigException;
import io.crmsync.config.CrmsyncConfig;
import io.crmsync.config.keys.HostKeys;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.nio.charset.StandardCharsets;

/**
 * What a webhook caller is checked against: the Efficy webhook's secret (null: that route is off)
 * and the task webhook's configuration (null: off). Read from a configuration without building an
 * engine, so a host checks the caller before it builds anything.
 *
 * @param efficySecret the Efficy webhook's secret, at least {@value WebhookGate#MIN_SECRET_LENGTH}
 *     bytes, or null
 * @param task the task webhook's configuration, or null
 */
public record WebhookCredentials(
        @Nullable String efficySecret, @Nullable TaskWebhookConfig task) {

    /** Checks the secret's length. */
    public WebhookCredentials {
        if (efficySecret != null
                && efficySecret.getBytes(StandardCharsets.UTF_8).length < WebhookGate.MIN_SECRET_LENGTH) {
            throw new ConfigException(
                    HostKeys.EFFICY_WEBHOOK_SECRET.name(),
                    "must be at least " + WebhookGate.MIN_SECRET_LENGTH + " characters");
        }
    }

    /**
     * The credentials a configuration names ({@code webhooks.efficySecret}, {@code taskWebhook.*}).
     *
     * @throws ConfigException naming the key at fault, without its value
     */
    public static WebhookCredentials from(CrmsyncConfig config) {
        return new WebhookCredentials(
                config.get(HostKeys.EFFICY_WEBHOOK_SECRET), config.taskWebhook().orElse(null));
    }

    @Override
    public String toString() {
        return "WebhookCredentials{efficy=" + (efficySecret == null ? "off" : "(redacted)") + ", task="
                + (task == null ? "off" : task.mode()) + "}";
    }
}
