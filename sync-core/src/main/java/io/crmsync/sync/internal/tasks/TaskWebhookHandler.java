package io.crmsync.sync.internal.tasks;

import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.internal.EngineContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.efficy.activity.ActivityResult;
import io.crmsync.efficy.activity.NewActivity;
import io.crmsync.efficy.user.EfficyUser;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.reverse.TaskWebhookResult;
import io.crmsync.sync.reverse.TaskWebhookResult.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  private final EngineContext ctx;
  private final TaskWebhookConfig config;
  /** Serialises handling of one delivery id within this engine (the claim does across engines). */
  private final Object[] deliveryLocks = new Object[256];
  private volatile List<EfficyUser> users;
  private volatile Instant usersAt = Instant.MIN;

  public TaskWebhookHandler(EngineContext ctx, TaskWebhookConfig config) {
    this.ctx = ctx;
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
      return TaskWebhookResult.failed(Outcome.TOO_LARGE, "body is " + body.length + " bytes; the limit is "
          + config.maxBodyBytes());
    }
    if (!authentic(body, headers)) {
      return TaskWebhookResult.failed(Outcome.UNAUTHORIZED, config.mode() == TaskWebhookConfig.Mode.BEARER
          ? "missing or wrong bearer token" : "missing or wrong signature in " + config.signatureHeader());
    }
    return null;
  }

  /** Handles a call whose size and authenticity {@link #refusal} accepted. */
  public TaskWebhookResult handleAuthentic(byte[] body) {
    if (body.length > config.maxBodyBytes()) {
      return TaskWebhookResult.failed(Outcome.TOO_LARGE, "body is " + body.length + " bytes; the limit is "
          + config.maxBodyBytes());
    }
    JsonNode payload;
    try {
      payload = JSON.readTree(body);
    } catch (IOException e) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "body is not JSON");
    }
    if (payload == null || !payload.isObject()) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "body is not a JSON object");
    }
    String subject = TaskText.singleLine(text(payload, "subject"));
    if (subject == null) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "subject is required");
    }
    if (subject.length() > 250) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "subject is longer than 250 characters");
    }
    String profileKey = text(payload, "profile_key");
    String email = text(payload, "email");
    if (profileKey == null && email == null) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "profile_key or email is required");
    }
    if (profileKey != null && !profileKey.matches("\\d{1,18}")) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "profile_key must be an Efficy contact key (digits)");
    }
    Optional<LocalDateTime> due;
    try {
      due = Optional.ofNullable(text(payload, "due")).map(TaskWebhookHandler::dueDate);
    } catch (DateTimeParseException e) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "due must be an ISO-8601 date or date-time");
    }
    String delivery = Optional.ofNullable(text(payload, "delivery_id")).orElseGet(() -> "sha256-" + sha256(body));
    if (delivery.length() > 150 || delivery.contains(";")) {
      return TaskWebhookResult.failed(Outcome.BAD_PAYLOAD, "delivery_id must be at most 150 characters without ';'");
    }
    synchronized (deliveryLocks[Math.floorMod(delivery.hashCode(), deliveryLocks.length)]) {
      return create(payload, subject, profileKey, email, due, delivery);
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
  private TaskWebhookResult create(JsonNode payload, String subject, String profileKey, String email,
      Optional<LocalDateTime> due, String delivery) {
    String sourceId = "apsis-task:" + delivery;
    StateStore store = ctx.store();
    for (int generation = 1; generation <= MAX_GENERATIONS; generation++) {
      String claim = delivery + "#" + generation;
      if (store.markProcessed(CLAIMS, claim)) {
        TaskWebhookResult result;
        try {
          result = createClaimed(payload, subject, profileKey, email, due, delivery, sourceId);
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
      List<Long> existing = ctx.efficy().activities().find(config.sourceField(), sourceId);
      if (!existing.isEmpty()) { // created, but its holder died before recording it
        store.markProcessed(DELIVERIES, delivery);
        return TaskWebhookResult.withTask(Outcome.DUPLICATE, existing.get(0), "delivery " + delivery + " was handled before");
      }
      Instant claimedAt = store.processedAt(CLAIMS, claim).orElse(Instant.EPOCH);
      if (claimedAt.plus(CLAIM_STALE_AFTER).isAfter(ctx.clock().instant())) {
        return TaskWebhookResult.failed(Outcome.IN_PROGRESS, "delivery " + delivery
            + " is being handled by another instance; deliver it again later");
      }
    }
    return TaskWebhookResult.failed(Outcome.IN_PROGRESS, "delivery " + delivery + " was claimed "
        + MAX_GENERATIONS + " times without a task; deliver it again later");
  }

  private TaskWebhookResult duplicate(String delivery, String sourceId) {
    List<Long> existing = ctx.efficy().activities().find(config.sourceField(), sourceId);
    return TaskWebhookResult.withTask(Outcome.DUPLICATE, existing.isEmpty() ? 0 : existing.get(0),
        "delivery " + delivery + " was handled before");
  }

  private TaskWebhookResult createClaimed(JsonNode payload, String subject, String profileKey, String email,
      Optional<LocalDateTime> due, String delivery, String sourceId) {
    StateStore store = ctx.store();
    if (store.isProcessed(DELIVERIES, delivery)) {
      return duplicate(delivery, sourceId);
    }
    Optional<Long> contact = profileKey != null ? contactByKey(Long.parseLong(profileKey)) : contactByEmail(email);
    if (contact.isEmpty()) {
      return TaskWebhookResult.failed(Outcome.UNKNOWN_CONTACT, profileKey != null
          ? "no Efficy contact has key " + profileKey : "no single Efficy contact has the payload's e-mail address");
    }
    String assignee = text(payload, "assignee");
    Optional<EfficyUser> user = user(assignee).or(() -> user(config.defaultUser()));
    if (user.isEmpty()) {
      return TaskWebhookResult.failed(Outcome.UNKNOWN_USER, "assignee " + (assignee == null ? "(none)" : "'" + assignee
          + "'") + " is not an Efficy user and no default user is configured");
    }
    NewActivity.Builder task = NewActivity.builder(contact.get(), sourceId)
        .sourceField(config.sourceField())
        .subject(subject)
        .assignTo(user.get().key());
    Optional.ofNullable(TaskText.multiLine(text(payload, "description"))).ifPresent(task::memo);
    due.ifPresent(task::begin);
    ActivityResult result = ctx.efficy().activities().createOnce(task.build());
    store.markProcessed(DELIVERIES, delivery);
    return TaskWebhookResult.withTask(result.created() ? Outcome.CREATED : Outcome.DUPLICATE, result.key(),
        result.created() ? "task created for " + user.get().code() : "task existed already");
  }

  private boolean authentic(byte[] body, Map<String, List<String>> headers) {
    byte[] secret = config.secret().getBytes(StandardCharsets.UTF_8);
    if (config.mode() == TaskWebhookConfig.Mode.BEARER) {
      String auth = header(headers, "authorization");
      if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return false;
      }
      return MessageDigest.isEqual(auth.substring(7).trim().getBytes(StandardCharsets.UTF_8), secret);
    }
    String signature = header(headers, config.signatureHeader());
    if (signature == null) {
      return false;
    }
    String hex = signature.trim().toLowerCase(Locale.ROOT);
    if (hex.startsWith("sha256=")) {
      hex = hex.substring(7);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
      return MessageDigest.isEqual(hex.getBytes(StandardCharsets.US_ASCII), expected);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  private Optional<Long> contactByKey(long key) {
    return ctx.efficy().contacts().get(key, new io.crmsync.efficy.contact.ContactRead(List.of(), List.of(), false,
        "K_PROFILE")).map(io.crmsync.efficy.contact.ContactRecord::key);
  }

  private Optional<Long> contactByEmail(String email) {
    if (email.contains(";")) {
      return Optional.empty();
    }
    List<Long> keys = ctx.efficy().contacts().keysByEmail(List.of(email))
        .getOrDefault(email.trim().toLowerCase(Locale.ROOT), List.of());
    return keys.size() == 1 ? Optional.of(keys.get(0)) : Optional.empty();
  }

  private Optional<EfficyUser> user(String code) {
    if (code == null || code.isBlank()) {
      return Optional.empty();
    }
    Instant now = ctx.clock().instant();
    if (users == null || usersAt.plus(USERS_TTL).isBefore(now)) {
      users = ctx.efficy().users().list();
      usersAt = now;
    }
    return users.stream().filter(EfficyUser::isPerson).filter(u -> u.code().equalsIgnoreCase(code.trim())).findFirst();
  }

  private static LocalDateTime dueDate(String value) {
    String v = value.trim();
    if (v.length() == 10) {
      return LocalDate.parse(v).atTime(9, 0);
    }
    try {
      return OffsetDateTime.parse(v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(v);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    String s = v.asText().trim();
    return s.isEmpty() ? null : s;
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
