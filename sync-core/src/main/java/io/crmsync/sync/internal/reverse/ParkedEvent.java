package io.crmsync.sync.internal.reverse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crmsync.apsis.export.EmailEvent;
import io.crmsync.apsis.export.EmailEventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An APSIS email event as kept with its quarantine record, so that reverse sync can try it again
 * after the export window it came from has passed (the export cannot be re-read cheaply: one
 * export a minute). Package-private.
 */
final class ParkedEvent {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ParkedEvent() {}

    static String write(EmailEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", e.type().name());
        n.put("address", e.address());
        n.put("correlationId", e.correlationId());
        n.put("eventTime", e.eventTime().toString());
        n.put("activityId", e.activityId());
        n.put("activityName", e.activityName());
        n.put("subject", e.subject());
        ObjectNode columns = n.putObject("columns");
        e.columns().forEach(columns::put);
        return n.toString();
    }

    /** The event, or empty when the payload is not one (written by another version, or damaged). */
    static Optional<EmailEvent> read(String payload) {
        try {
            JsonNode n = MAPPER.readTree(payload);
            Map<String, String> columns = new LinkedHashMap<>();
            n.path("columns")
                    .fields()
                    .forEachRemaining(c -> columns.put(c.getKey(), c.getValue().asText()));
            return Optional.of(new EmailEvent(
                    EmailEventType.valueOf(n.path("type").asText()),
                    n.path("address").asText(),
                    n.path("correlationId").asText(),
                    Instant.parse(n.path("eventTime").asText()),
                    n.path("activityId").asText(),
                    n.path("activityName").asText(),
                    n.path("subject").asText(),
                    columns));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
