package io.crmsync.sync.reverse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.client.Nullable;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The payload of an APSIS Marketing Automation task webhook, parsed and cleaned (control and
 * invisible bidirectional characters removed): what the README's "Tasks from Marketing
 * Automation" documents. A host that queues deliveries parses it before queueing, so a bad body
 * gets its 400 at once, as it does where the engine handles it at once.
 *
 * <pre>{@code
 * TaskRequest task = TaskRequest.parse(body);   // IllegalArgumentException: why it is refused
 * }</pre>
 *
 * @param subject the task's subject (one line, at most 250 characters)
 * @param profileKey the Efficy contact key, when the payload names one
 * @param email the contact's address, when the payload names no key
 * @param assignee the Efficy user code to assign, or null
 * @param description the task's memo, or null
 * @param due when the task is due, if given
 * @param deliveryId the delivery's id ({@code delivery_id}, else the body's SHA-256)
 */
public record TaskRequest(
        String subject,
        OptionalLong profileKey,
        @Nullable String email,
        @Nullable String assignee,
        @Nullable String description,
        Optional<LocalDateTime> due,
        String deliveryId) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Parses a body.
     *
     * @throws IllegalArgumentException saying what is wrong, without echoing the body
     */
    public static TaskRequest parse(byte[] body) {
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
        String subject = TaskText.singleLine(text(payload, "subject"));
        if (subject == null) {
            throw new IllegalArgumentException("subject is required");
        }
        if (subject.length() > 250) {
            throw new IllegalArgumentException("subject is longer than 250 characters");
        }
        String profileKey = text(payload, "profile_key");
        String email = text(payload, "email");
        if (profileKey == null && email == null) {
            throw new IllegalArgumentException("profile_key or email is required");
        }
        if (profileKey != null && !profileKey.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("profile_key must be an Efficy contact key (digits)");
        }
        Optional<LocalDateTime> due;
        try {
            due = Optional.ofNullable(text(payload, "due")).map(TaskRequest::dueDate);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("due must be an ISO-8601 date or date-time");
        }
        String delivery = Optional.ofNullable(text(payload, "delivery_id")).orElseGet(() -> "sha256-" + sha256(body));
        if (delivery.length() > 150 || delivery.contains(";")) {
            throw new IllegalArgumentException("delivery_id must be at most 150 characters without ';'");
        }
        return new TaskRequest(
                subject,
                profileKey == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(profileKey)),
                profileKey == null ? email : null,
                text(payload, "assignee"),
                TaskText.multiLine(text(payload, "description")),
                due,
                delivery);
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

    @Override
    public String toString() {
        return "TaskRequest{delivery=" + deliveryId + ", subject=(" + subject.length() + " characters)}";
    }
}
