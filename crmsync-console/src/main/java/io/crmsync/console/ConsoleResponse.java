package io.crmsync.console;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The console's answer: a status, headers (the content type, the security headers, a cookie, a
 * location) and a body, for the host to write as it is.
 *
 * @param status the HTTP status
 * @param headers the headers to send
 * @param body the body
 */
public record ConsoleResponse(int status, Map<String, String> headers, byte[] body) {

    /** Copies the parts. */
    public ConsoleResponse {
        headers = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        body = body == null ? new byte[0] : body.clone();
    }

    /** The body, as text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body itself (not a copy), for the host to write. */
    public byte[] bytes() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "ConsoleResponse{" + status + ", " + body.length + " bytes}";
    }
}
