package io.crmsync.testkit.internal.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.testkit.internal.http.EmulatorRequest;
import io.crmsync.testkit.internal.http.EmulatorResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What both emulators' admin routes share: query parameters, JSON in and out, error answers. Internal. */
final class AdminRequests {

    static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules().build();

    private AdminRequests() {}

    /** A query parameter, or null. */
    static String parameter(EmulatorRequest r, String name) {
        String query = r.uri().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The body as a JSON object's fields (values as text or numbers), or an error. */
    static Map<String, Object> fields(EmulatorRequest r) {
        JsonNode node;
        try {
            node = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object of fields");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        node.fields()
                .forEachRemaining(e -> fields.put(
                        e.getKey(),
                        e.getValue().isNumber()
                                ? e.getValue().numberValue()
                                : e.getValue().asText()));
        return fields;
    }

    /** A JSON answer. */
    static EmulatorResponse json(int status, Object value, String route) {
        try {
            return EmulatorResponse.json(status, JSON.writeValueAsString(value), route);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An error answer naming what is wrong. */
    static EmulatorResponse error(int status, String message, String route) {
        return json(status, Map.of("error", message), route);
    }
}
