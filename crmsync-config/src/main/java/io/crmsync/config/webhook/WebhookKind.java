package io.crmsync.config.webhook;

/** The two webhooks every host serves. */
public enum WebhookKind {
    /** Efficy's change webhook: {@code POST .../webhooks/efficy/<secret>} (or the secret in a header). */
    EFFICY,
    /** APSIS Marketing Automation's task webhook: {@code POST .../webhooks/apsis-task}. */
    APSIS_TASK
}
