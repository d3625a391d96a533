package io.crmsync.config.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a host answers a webhook call: the status, a small JSON object, and {@code Retry-After}
 * seconds for a 503. Every host writes it as it is, so one request gets one answer everywhere.
 * Nothing of the request is echoed but the engine's own messages.
 *
 * @param status the HTTP status
 * @param body the JSON object's members, in order
 * @param retryAfterSeconds seconds for {@code Retry-After}, or empty
 */
public record WebhookAnswer(int status, Map<String, Object> body, OptionalInt retryAfterSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies the members. */
    public WebhookAnswer {
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    }

    /** A refusal or failure: {@code {"error": message}}. */
    public static WebhookAnswer error(int status, String message) {
        return new WebhookAnswer(status, Map.of("error", message), OptionalInt.empty());
    }

    /** A 503 the sender should retry after {@code seconds}. */
    public static WebhookAnswer retryLater(String message, int seconds) {
        return new WebhookAnswer(503, Map.of("error", message), OptionalInt.of(seconds));
    }

    /** A success or an outcome with members. */
    public static WebhookAnswer of(int status, Map<String, Object> members) {
        return new WebhookAnswer(status, members, status == 503 ? OptionalInt.of(5) : OptionalInt.empty());
    }

    /** The body as JSON bytes. */
    public byte[] json() {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return "{\"error\":\"answer could not be written\"}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
