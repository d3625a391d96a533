package io.crmsync.examples.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No {@code toString()} of a type that holds a secret shows the secret. */
class SecretsStayOutOfToStringTest {

    private static final String EFFICY_KEY = "efficy-key-3f9a0c71";
    private static final String EFFICY_PASSWORD = "efficy-password-8d21";
    private static final String APSIS_SECRET = "apsis-secret-77c0e3b5";
    private static final String WEBHOOK_SECRET = "webhook-secret-1b2c3d4e5f";

    @Test
    void clientsEngineAndWebhookConfigShowNoSecret() {
        try (EfficyClient byKey = EfficyClient.builder()
                        .baseUri(URI.create("https://crm.example.com"))
                        .apiKey(EFFICY_KEY)
                        .build();
                EfficyClient byPassword = EfficyClient.builder()
                        .baseUri(URI.create("https://crm.example.com"))
                        .userPassword("APIUSER", EFFICY_PASSWORD)
                        .build()) {
            ApsisClient apsis = ApsisClient.builder()
                    .baseUri(URI.create("https://api.example.com"))
                    .clientId("id")
                    .clientSecret(APSIS_SECRET)
                    .build();
            TaskWebhookConfig bearer = TaskWebhookConfig.bearer(WEBHOOK_SECRET);
            TaskWebhookConfig hmac = TaskWebhookConfig.hmac(WEBHOOK_SECRET, "X-Signature");
            try (SyncEngine engine = SyncEngine.builder()
                    .efficy(byKey)
                    .apsis(apsis)
                    .section("s")
                    .taskWebhook(bearer)
                    .build()) {
                List<String> shown = List.of(
                        byKey.toString(),
                        byPassword.toString(),
                        apsis.toString(),
                        bearer.toString(),
                        hmac.toString(),
                        engine.toString());

                assertThat(shown)
                        .allSatisfy(text -> assertThat(text)
                                .doesNotContain(EFFICY_KEY, EFFICY_PASSWORD, APSIS_SECRET, WEBHOOK_SECRET));
                assertThat(shown).allSatisfy(text -> assertThat(text).isNotBlank());
            }
        }
    }
}
