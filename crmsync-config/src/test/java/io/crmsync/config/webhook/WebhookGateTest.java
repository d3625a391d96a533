package io.crmsync.config.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.config.ConfigException;
import io.crmsync.efficy.webhook.EfficyWebhookEvent;
import io.crmsync.sync.reverse.TaskRequest;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookGateTest {

    private static final String SECRET = "efficy-secret-0123456789";
    private static final String TASK = "task-secret-0123456789";
    private static final byte[] GOOD =
            ("{\"records\":[{\"table\":11000,\"key\":3,\"operation\":\"Update\"}]}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] TASK_BODY =
            "{\"subject\":\"Call\",\"profile_key\":\"3\"}".getBytes(StandardCharsets.UTF_8);

    private final List<String> delivered = new ArrayList<>();
    private final WebhookTarget target = new WebhookTarget() {
        @Override
        public WebhookAnswer efficy(EfficyWebhookEvent event, byte[] body) {
            delivered.add("efficy " + event.contactRecords().size());
            return WebhookAnswer.of(200, Map.of("outcome", "done"));
        }

        @Override
        public WebhookAnswer task(TaskRequest request, byte[] body) {
            delivered.add("task " + request.subject());
            return WebhookAnswer.of(200, Map.of("outcome", "done"));
        }
    };

    private WebhookGate gate(TaskWebhookConfig task, InFlightBytes budget) {
        return new WebhookGate(new WebhookCredentials(SECRET, task), target, budget);
    }

    @Test
    void theEfficyWebhookIsCheckedFromPathAndHeadersThenParsed() {
        WebhookGate gate = gate(null, InFlightBytes.defaults());
        assertThat(gate.handle(WebhookKind.EFFICY, "GET", SECRET, Map.of(), GOOD)
                        .status())
                .isEqualTo(405);
        assertThat(gate.handle(WebhookKind.EFFICY, "POST", "wrong-secret-0123456789", Map.of(), GOOD)
                        .status())
                .isEqualTo(401);
        assertThat(gate.handle(WebhookKind.EFFICY, "POST", null, Map.of(), GOOD).status())
                .isEqualTo(401);
        assertThat(gate.handle(WebhookKind.EFFICY, "POST", null, Map.of("x-crmsync-secret", List.of(SECRET)), GOOD)
                        .status())
                .isEqualTo(200);
        assertThat(gate.handle(WebhookKind.EFFICY, "POST", SECRET, Map.of(), "{nope".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);
        assertThat(gate.handle(WebhookKind.EFFICY, "POST", SECRET, Map.of(), GOOD)
                        .status())
                .isEqualTo(200);
        assertThat(gate.handle(WebhookKind.APSIS_TASK, "POST", null, Map.of(), TASK_BODY)
                        .status())
                .as("no task webhook configured")
                .isEqualTo(404);
        assertThat(delivered).containsExactly("efficy 1", "efficy 1");
    }

    @Test
    void aDeclaredOversizedBodyIsRefusedBeforeItIsRead() {
        WebhookGate gate = gate(null, InFlightBytes.defaults());
        try (Admission a =
                gate.admit(WebhookKind.EFFICY, "POST", SECRET, Map.of(), WebhookGate.MAX_EFFICY_BODY_BYTES + 1L)) {
            assertThat(a.refusal())
                    .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(413));
        }
        try (Admission a = gate.admit(WebhookKind.EFFICY, "POST", SECRET, Map.of(), -1)) {
            assertThat(a.refusal()).isEmpty();
            assertThat(gate.deliver(a, new byte[a.maxBodyBytes() + 1]).status()).isEqualTo(413);
        }
    }

    @Test
    void bytesInFlightAreBoundedAcrossCallsAndGivenBack() {
        InFlightBytes budget = new InFlightBytes(2 * WebhookGate.MAX_EFFICY_BODY_BYTES);
        WebhookGate gate = gate(null, budget);
        Admission first = gate.admit(WebhookKind.EFFICY, "POST", SECRET, Map.of(), -1);
        Admission second = gate.admit(WebhookKind.EFFICY, "POST", SECRET, Map.of(), -1);
        try (Admission third = gate.admit(WebhookKind.EFFICY, "POST", SECRET, Map.of(), -1)) {
            assertThat(third.refusal()).hasValueSatisfying(r -> {
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.retryAfterSeconds()).hasValue(WebhookGate.RETRY_AFTER_SECONDS);
            });
        }
        first.close();
        first.close();
        try (Admission again = gate.admit(WebhookKind.EFFICY, "POST", SECRET, Map.of(), 100)) {
            assertThat(again.refusal()).isEmpty();
        }
        second.close();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aBearerTaskCallIsRefusedFromItsHeadersAndAnHmacOneFromItsBody() throws Exception {
        WebhookGate bearer = gate(TaskWebhookConfig.bearer(TASK), InFlightBytes.defaults());
        try (Admission a = bearer.admit(WebhookKind.APSIS_TASK, "POST", null, Map.of(), TASK_BODY.length)) {
            assertThat(a.refusal())
                    .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
        }
        Map<String, List<String>> auth = Map.of("Authorization", List.of("Bearer " + TASK));
        assertThat(bearer.handle(WebhookKind.APSIS_TASK, "POST", null, auth, TASK_BODY)
                        .status())
                .isEqualTo(200);
        assertThat(bearer.handle(WebhookKind.APSIS_TASK, "POST", null, auth, "{}".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);

        WebhookGate hmac = gate(TaskWebhookConfig.hmac(TASK, "X-Signature"), InFlightBytes.defaults());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TASK.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(TASK_BODY));
        assertThat(hmac.handle(
                                WebhookKind.APSIS_TASK,
                                "POST",
                                null,
                                Map.of("X-Signature", List.of(signature)),
                                TASK_BODY)
                        .status())
                .isEqualTo(200);
        assertThat(hmac.handle(
                                WebhookKind.APSIS_TASK,
                                "POST",
                                null,
                                Map.of("X-Signature", List.of("sha256=00")),
                                TASK_BODY)
                        .status())
                .isEqualTo(401);
        assertThat(delivered).containsExactly("task Call", "task Call");
    }

    @Test
    void aTargetThatFailsIsAnsweredWith503AndANonServingGateAnswers503AtOnce() {
        WebhookGate failing = new WebhookGate(
                new WebhookCredentials(SECRET, null),
                new WebhookTarget() {
                    @Override
                    public WebhookAnswer efficy(EfficyWebhookEvent event, byte[] body) {
                        throw new IllegalStateException("database down");
                    }

                    @Override
                    public WebhookAnswer task(TaskRequest request, byte[] body) {
                        throw new IllegalStateException("database down");
                    }
                },
                InFlightBytes.defaults());
        WebhookAnswer answer = failing.handle(WebhookKind.EFFICY, "POST", SECRET, Map.of(), GOOD);
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.retryAfterSeconds()).hasValue(WebhookGate.RETRY_AFTER_SECONDS);
        assertThat(new String(answer.json(), StandardCharsets.UTF_8)).doesNotContain("database down");

        WebhookAnswer down = WebhookGate.unavailable("the database does not answer")
                .handle(WebhookKind.APSIS_TASK, "POST", null, Map.of(), TASK_BODY);
        assertThat(down.status()).isEqualTo(503);
    }

    @Test
    void aSecretShorterThanSixteenCharactersIsRefused() {
        assertThatThrownBy(() -> new WebhookCredentials("short", null))
                .isInstanceOf(ConfigException.class)
                .hasMessage("webhooks.efficySecret: must be at least 16 characters");
    }
}
