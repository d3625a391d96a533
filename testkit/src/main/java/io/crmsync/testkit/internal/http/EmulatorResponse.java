package io.crmsync.testkit.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route answers: status, headers, body, and the route name for the journal.
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body the body (may be empty)
 * @param route the route name for the journal
 */
public record EmulatorResponse(int status, Map<String, String> headers, byte[] body, String route) {

    /** A JSON answer. */
    public static EmulatorResponse json(int status, String json, String route) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        return new EmulatorResponse(status, h, json.getBytes(StandardCharsets.UTF_8), route);
    }

    /** An empty answer. */
    public static EmulatorResponse empty(int status, String route) {
        return new EmulatorResponse(status, new LinkedHashMap<>(), new byte[0], route);
    }

    /** A copy with one more header. */
    public EmulatorResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new EmulatorResponse(status, h, body, route);
    }
}
