package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.reverse.TaskWebhookResult;
import io.crmsync.sync.reverse.TaskWebhookResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskWebhookTest {

    static final String SECRET = "a-long-shared-secret-0123456789";

    private final Emulated env = new Emulated(20);
    private final SyncEngine bearer = env.engine(b -> b.taskWebhook(TaskWebhookConfig.bearer(SECRET)));
    private final SyncEngine hmac = env.engine(b ->
            b.taskWebhook(TaskWebhookConfig.hmac(SECRET, "X-Apsis-Signature").withDefaultUser("PSMITH")));

    @AfterEach
    void stop() {
        bearer.close();
        hmac.close();
        env.close();
    }

    private static Map<String, List<String>> bearerHeaders(String token) {
        return Map.of("Authorization", List.of("Bearer " + token), "Content-Type", List.of("application/json"));
    }

    private static Map<String, List<String>> signed(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        return Map.of("x-apsis-signature", List.of("sha256=" + sig));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long tasks() {
        return env.efficy.activities().size();
    }

    @Test
    void aTaskIsCreatedLinkedToTheContactAndAssignedToTheUser() {
        String body = "{\"delivery_id\":\"d-1\",\"profile_key\":\"7\",\"subject\":\"Call back\","
                + "\"description\":\"Clicked pricing twice\",\"assignee\":\"jdoe\",\"due\":\"2026-12-01\"}";

        TaskWebhookResult result = bearer.handleTaskWebhook(bytes(body), bearerHeaders(SECRET));

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(result.status()).isEqualTo(200);
        Map<String, Object> task = env.efficy.activitiesOf(7).get(0);
        assertThat(task)
                .containsEntry("SUBJECT", "Call back")
                .containsEntry("MEMO", "Clicked pricing twice")
                .containsEntry("DONE", "0")
                .containsEntry("F_SOURCE_ID", "apsis-task:d-1");
        assertThat(task.get("USERS")).isEqualTo(List.of(169L));
        assertThat(task.get("D_BEGIN").toString()).startsWith("2026-12-01T09:00");
        assertThat(result.taskKey()).hasValue((Long) task.get("K_ACTION"));
    }

    @Test
    void nulAndBidirectionalControlsNeverReachEfficy() {
        String body =
                "{\"delivery_id\":\"d-ctl\",\"profile_key\":\"7\",\"subject\":\"Pay\\u0000 \\u202Eexe.txt\\u202C now\\r\\nplease\","
                        + "\"description\":\"line 1\\nline\\u0007 2\\u2066\",\"assignee\":\"jdoe\"}";

        TaskWebhookResult result = bearer.handleTaskWebhook(bytes(body), bearerHeaders(SECRET));

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        Map<String, Object> task = env.efficy.activitiesOf(7).get(0);
        assertThat(task).containsEntry("SUBJECT", "Pay exe.txt now  please").containsEntry("MEMO", "line 1\nline 2");
        String nothingButControls = "{\"profile_key\":\"7\",\"subject\":\"\\u0000\\u202E\"}";
        assertThat(bearer.handleTaskWebhook(bytes(nothingButControls), bearerHeaders(SECRET))
                        .message())
                .contains("subject is required");
    }

    @Test
    void aReplayedDeliveryCreatesOneTask() {
        String body = "{\"delivery_id\":\"d-2\",\"profile_key\":\"3\",\"subject\":\"Follow up\",\"assignee\":\"JDOE\"}";
        TaskWebhookResult first = bearer.handleTaskWebhook(bytes(body), bearerHeaders(SECRET));
        TaskWebhookResult again = bearer.handleTaskWebhook(bytes(body), bearerHeaders(SECRET));

        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.taskKey()).isEqualTo(first.taskKey());
        assertThat(tasks()).isEqualTo(1);

        // Without a delivery id the body's hash identifies the delivery.
        String anonymous = "{\"profile_key\":\"4\",\"subject\":\"No id\",\"assignee\":\"JDOE\"}";
        bearer.handleTaskWebhook(bytes(anonymous), bearerHeaders(SECRET));
        bearer.handleTaskWebhook(bytes(anonymous), bearerHeaders(SECRET));
        assertThat(tasks()).isEqualTo(2);
    }

    @Test
    void badOrMissingSecretsAreRefusedAndWriteNothing() throws Exception {
        String body = "{\"profile_key\":\"3\",\"subject\":\"x\",\"assignee\":\"JDOE\"}";
        assertThat(bearer.handleTaskWebhook(bytes(body), bearerHeaders("wrong-secret-value-000000"))
                        .status())
                .isEqualTo(401);
        assertThat(bearer.handleTaskWebhook(bytes(body), Map.of()).status()).isEqualTo(401);
        Map<String, List<String>> tampered = signed(body.replace("x", "y"));
        assertThat(hmac.handleTaskWebhook(bytes(body), tampered).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(hmac.handleTaskWebhook(bytes(body), Map.of()).message()).contains("x-apsis-signature");
        assertThat(tasks()).isZero();

        assertThat(hmac.handleTaskWebhook(bytes(body), signed(body)).outcome()).isEqualTo(Outcome.CREATED);
    }

    @Test
    void malformedAndOversizedBodiesGetClearErrors() {
        assertThat(bearer.handleTaskWebhook(bytes("{not json"), bearerHeaders(SECRET)))
                .satisfies(r -> assertThat(r.status()).isEqualTo(400))
                .satisfies(r -> assertThat(r.message()).isEqualTo("body is not JSON"));
        assertThat(bearer.handleTaskWebhook(bytes("{\"profile_key\":\"3\"}"), bearerHeaders(SECRET))
                        .message())
                .isEqualTo("subject is required");
        assertThat(bearer.handleTaskWebhook(bytes("{\"subject\":\"x\"}"), bearerHeaders(SECRET))
                        .message())
                .isEqualTo("profile_key or email is required");
        assertThat(bearer.handleTaskWebhook(bytes("{\"subject\":\"x\",\"profile_key\":\"abc\"}"), bearerHeaders(SECRET))
                        .message())
                .contains("profile_key");
        assertThat(bearer.handleTaskWebhook(
                                bytes("{\"subject\":\"x\",\"profile_key\":\"3\",\"due\":\"soon\"}"),
                                bearerHeaders(SECRET))
                        .message())
                .contains("due");
        byte[] big = bytes("{\"subject\":\"" + "x".repeat(70_000) + "\",\"profile_key\":\"3\"}");
        TaskWebhookResult tooLarge = bearer.handleTaskWebhook(big, bearerHeaders(SECRET));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.message()).contains("65536");
        assertThat(tasks()).isZero();
    }

    @Test
    void unknownContactAndUnknownUserWithoutDefaultAreRefused() {
        assertThat(bearer.handleTaskWebhook(
                                bytes("{\"subject\":\"x\",\"profile_key\":\"99999\",\"assignee\":\"JDOE\"}"),
                                bearerHeaders(SECRET))
                        .status())
                .isEqualTo(404);
        assertThat(bearer.handleTaskWebhook(
                                bytes("{\"subject\":\"x\",\"email\":\"nobody@example.com\",\"assignee\":\"JDOE\"}"),
                                bearerHeaders(SECRET))
                        .status())
                .isEqualTo(404);
        TaskWebhookResult noUser = bearer.handleTaskWebhook(
                bytes("{\"subject\":\"x\",\"profile_key\":\"3\",\"assignee\":\"GHOST\"}"), bearerHeaders(SECRET));
        assertThat(noUser.status()).isEqualTo(422);
        assertThat(noUser.message()).contains("'GHOST'");
        // A group is not a person a task can be assigned to.
        assertThat(bearer.handleTaskWebhook(
                                bytes("{\"subject\":\"x\",\"profile_key\":\"3\",\"assignee\":\"SALES\"}"),
                                bearerHeaders(SECRET))
                        .status())
                .isEqualTo(422);
        assertThat(tasks()).isZero();
    }

    @Test
    void tasksLandOnTheDefaultUserWhenTheAssigneeIsUnknownAndContactsResolveByEmail() throws Exception {
        long key = env.efficy.createContact(Map.of("NAME", "Mail", "EMAIL1", "Lead@Example.com"));
        String body = "{\"subject\":\"Hot lead\",\"email\":\"lead@example.com\",\"assignee\":\"GHOST\"}";

        TaskWebhookResult result = hmac.handleTaskWebhook(bytes(body), signed(body));

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(env.efficy.activitiesOf(key).get(0).get("USERS")).isEqualTo(List.of(170L));
    }

    @Test
    void anEngineWithoutTaskWebhookSaysSo() {
        try (SyncEngine plain = env.engine(b -> {})) {
            assertThatThrownBy(() -> plain.handleTaskWebhook(bytes("{}"), Map.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("taskWebhook");
        }
        assertThatThrownBy(() -> TaskWebhookConfig.bearer("short")).hasMessageContaining("16 bytes");
        assertThat(TaskWebhookConfig.bearer(SECRET).toString()).doesNotContain(SECRET);
    }

    @Test
    void concurrentDeliveriesOfOneIdCreateOneTask() throws Exception {
        String body = "{\"delivery_id\":\"d-race\",\"profile_key\":\"5\",\"subject\":\"Race\",\"assignee\":\"JDOE\"}";
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<TaskWebhookResult>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> bearer.handleTaskWebhook(bytes(body), bearerHeaders(SECRET))));
            }
            long created = 0;
            for (var c : calls) {
                if (c.get().outcome() == Outcome.CREATED) {
                    created++;
                }
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(tasks()).isEqualTo(1);
    }
}
