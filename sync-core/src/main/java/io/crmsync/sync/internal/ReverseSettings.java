package io.crmsync.sync.internal;

import io.crmsync.client.Nullable;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.time.Duration;

/**
 * What reverse sync and the task webhook write back into Efficy. Internal.
 *
 * @param responseMapping what reverse sync writes for each event type
 * @param window the export window of reverse sync
 * @param lookback where the first reverse sync starts
 * @param exportKeyAttribute the export's CRM-id attribute, or null
 * @param taskWebhook the task webhook's configuration, or null
 */
public record ReverseSettings(
        ResponseMapping responseMapping,
        Duration window,
        Duration lookback,
        @Nullable String exportKeyAttribute,
        @Nullable TaskWebhookConfig taskWebhook) {}
