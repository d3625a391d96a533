package io.crmsync.sync.internal.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.efficy.activity.ActivityResult;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.contact.ContactRead;
import io.crmsync.efficy.contact.ContactRecord;
import io.crmsync.efficy.user.EfficyUser;
import io.crmsync.sync.internal.Services;
import io.crmsync.sync.reverse.TaskRequest;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.reverse.TaskWebhookResult;
import io.crmsync.sync.reverse.TaskWebhookResult.Outcome;
import io.crmsync.sync.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an APSIS Marketing Automation webhook call into an Efficy task. Package-private;
 * {@link SyncEngine#handleTaskWebhook} is the entry point. The payload is documented in the
 * README ("Tasks from Marketing Automation").
 */
public final class TaskWebhookHandler {

    static final String DELIVERIES = "task-webhook";
    /** Claims on a delivery, one namespace entry per generation ({@code <delivery>#<n>}). */
    static final String CLAIMS = "task-webhook-claim";
    /** A claim older than this whose task is not found is taken to have died with its holder. */
    static final Duration CLAIM_STALE_AFTER = Duration.ofMinutes(2);
    /** Claims whose holder gave up without creating (a bad payload, Efficy down): free at once. */
    static final String ABANDONED = "task-webhook-claim-abandoned";

    private static final int MAX_GENERATIONS = 50;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration USERS_TTL = Duration.ofMinutes(5);

    private final Services services;
    private final TaskWebhookConfig config;
    /** Serialises handling of one delivery id within this engine (the claim does across engines). */
    private final Object[] deliveryLocks = new Object[256];

    private volatile List<EfficyUser> users;
    private volatile Instant usersAt = Instant.MIN;

    public TaskWebhookHandler(Services services, TaskWebhookConfig config) {
        this.services = services;
        this.config = config;
        for (int i = 0; i < deliveryLocks.length; i++) {
            deliveryLocks[i] = new Object();
        }
    }

    public TaskWebhookResult handle(byte[] body, Map<String, List<String>> headers) {
        TaskWebhookResult refused = refusal(body, headers);
        return refused != null ? refused : handleAuthentic(body);
    }

    /** Why a call is refused before its payload is read (too large, not authentic), or null. */
    public TaskWebhookResult refusal(byte[] body, Map<String, List<String>> headers) {
        if (body.length > config.maxBodyBytes()) {
            return TaskWebhookResult.failed(
                    Outcome.TOO_LARGE, "body is " + body.length + " bytes; the limit is " + config.maxBodyBytes());
        }
        if (!config.isAuthentic(body, headers)) {
            return TaskWebhookResult.failed(Outcome.UNAUTHORIZED, config.refusalMessage());
        }
        return null;
    }

    /** Handles a call whose size and authenticity {@link #refusal} accepted. */
    public TaskWebhookResult handleAuthentic(byte[] body) {
        if (body.length > config.maxBodyBytes()) {
            return TaskWebhookResult.failed(
                    Outcome.TOO_LARGE, "body is " + body.length + " bytes; the limit is " + config.maxBodyBytes());
        }
        TaskRequest request;
        try {
            request = TaskRequest.parse(body);
        } catch (IllegalArgumentException bad) {
            return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, bad.getMessage());
        }
        String delivery = request.deliveryId();
        synchronized (deliveryLocks[Math.floorMod(delivery.hashCode(), deliveryLocks.length)]) {
            return create(request);
        }
    }

    /**
     * Creates the delivery's task once across every engine sharing the store. The delivery is
     * claimed first, by a unique key in the store ({@code <delivery>#1}); only the claimant creates.
     * Another instance that finds the claim answers {@link Outcome#DUPLICATE} once the task is done
     * or found by its source id, {@link Outcome#IN_PROGRESS} while the claimant may still be at work,
     * and takes a new claim ({@code #2}, ...) when the claim was abandoned (its holder answered
     * without creating) or is older than {@link #CLAIM_STALE_AFTER} with no task carrying the source
     * id (its holder died before creating).
     */
    private TaskWebhookResult create(TaskRequest request) {
        String delivery = request.deliveryId();
        String sourceId = "apsis-task:" + delivery;
        StateStore store = services.store();
        for (int generation = 1; generation <= MAX_GENERATIONS; generation++) {
            String claim = delivery + "#" + generation;
            if (store.markProcessed(CLAIMS, claim)) {
                TaskWebhookResult result;
                try {
                    result = createClaimed(request, sourceId);
                } catch (RuntimeException e) {
                    store.markProcessed(ABANDONED, claim);
                    throw e;
                }
                if (result.outcome() != Outcome.CREATED && result.outcome() != Outcome.DUPLICATE) {
                    store.markProcessed(ABANDONED, claim);
                }
                return result;
            }
            if (store.isProcessed(ABANDONED, claim)) {
                continue;
            }
            if (store.isProcessed(DELIVERIES, delivery)) {
                return duplicate(delivery, sourceId);
            }
            List<Long> existing = services.efficy().activities().find(config.sourceField(), sourceId);
            if (!existing.isEmpty()) { // created, but its holder died before recording it
                store.markProcessed(DELIVERIES, delivery);
                return TaskWebhookResult.withTask(
                        Outcome.DUPLICATE, existing.get(0), "delivery " + delivery + " was handled before");
            }
            Instant claimedAt = store.processedAt(CLAIMS, claim).orElse(Instant.EPOCH);
            if (claimedAt.plus(CLAIM_STALE_AFTER).isAfter(services.clock().instant())) {
                return TaskWebhookResult.failed(
                        Outcome.IN_PROGRESS,
                        "delivery " + delivery + " is being handled by another instance; deliver it again later");
            }
        }
        return TaskWebhookResult.failed(
                Outcome.IN_PROGRESS,
                "delivery " + delivery + " was claimed " + MAX_GENERATIONS
                        + " times without a task; deliver it again later");
    }

    private TaskWebhookResult duplicate(String delivery, String sourceId) {
        List<Long> existing = services.efficy().activities().find(config.sourceField(), sourceId);
        return TaskWebhookResult.withTask(
                Outcome.DUPLICATE,
                existing.isEmpty() ? 0 : existing.get(0),
                "delivery " + delivery + " was handled before");
    }

    private TaskWebhookResult createClaimed(TaskRequest request, String sourceId) {
        String delivery = request.deliveryId();
        StateStore store = services.store();
        if (store.isProcessed(DELIVERIES, delivery)) {
            return duplicate(delivery, sourceId);
        }
        Optional<Long> contact = request.profileKey().isPresent()
                ? contactByKey(request.profileKey().getAsLong())
                : contactByEmail(request.email());
        if (contact.isEmpty()) {
            return TaskWebhookResult.failed(
                    Outcome.UNKNOWN_CONTACT,
                    request.profileKey().isPresent()
                            ? "no Efficy contact has key "
                                    + request.profileKey().getAsLong()
                            : "no single Efficy contact has the payload's e-mail address");
        }
        String assignee = request.assignee();
        Optional<EfficyUser> user = user(assignee).or(() -> user(config.defaultUser()));
        if (user.isEmpty()) {
            return TaskWebhookResult.failed(
                    Outcome.UNKNOWN_USER,
                    "assignee " + (assignee == null ? "(none)" : "'" + assignee + "'")
                            + " is not an Efficy user and no default user is configured");
        }
        NewActivity.Builder task = NewActivity.builder(contact.get(), sourceId)
                .sourceField(config.sourceField())
                .subject(request.subject())
                .assignTo(user.get().key());
        Optional.ofNullable(request.description()).ifPresent(task::memo);
        request.due().ifPresent(task::begin);
        ActivityResult result = services.efficy().activities().createOnce(task.build());
        store.markProcessed(DELIVERIES, delivery);
        return TaskWebhookResult.withTask(
                result.created() ? Outcome.CREATED : Outcome.DUPLICATE,
                result.key(),
                result.created() ? "task created for " + user.get().code() : "task existed already");
    }

    private Optional<Long> contactByKey(long key) {
        return services.efficy()
                .contacts()
                .get(key, new ContactRead(List.of(), List.of(), false, "K_PROFILE"))
                .map(ContactRecord::key);
    }

    private Optional<Long> contactByEmail(String email) {
        if (email.contains(";")) {
            return Optional.empty();
        }
        List<Long> keys = services.efficy()
                .contacts()
                .keysByEmail(List.of(email))
                .getOrDefault(email.trim().toLowerCase(Locale.ROOT), List.of());
        return keys.size() == 1 ? Optional.of(keys.get(0)) : Optional.empty();
    }

    private Optional<EfficyUser> user(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        Instant now = services.clock().instant();
        if (users == null || usersAt.plus(USERS_TTL).isBefore(now)) {
            users = services.efficy().users().list();
            usersAt = now;
        }
        return users.stream()
                .filter(EfficyUser::isPerson)
                .filter(u -> u.code().equalsIgnoreCase(code.trim()))
                .findFirst();
    }
}
