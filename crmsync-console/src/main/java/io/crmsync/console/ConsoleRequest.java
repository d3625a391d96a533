package io.crmsync.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request to the console, as the host read it: no servlet API, so that Jetty, a servlet
 * container and tests hand it over alike.
 *
 * @param method the method, upper case
 * @param path the path below the console's mount: {@code ""} or {@code "/"} for the overview,
 *     {@code "/runs"}…
 * @param query the raw query string, or empty
 * @param headers the headers, names in lower case
 * @param body the body (a form, for POST), at most {@link #MAX_BODY} bytes
 * @param remote the caller's address, for login throttling
 * @param secure whether the request came over TLS (the session cookie is then {@code Secure})
 */
public record ConsoleRequest(
        String method,
        String path,
        String query,
        Map<String, List<String>> headers,
        byte[] body,
        String remote,
        boolean secure) {

    /** The largest body the console reads (a set-up form), 64 kB. */
    public static final int MAX_BODY = 64 * 1024;

    /** Checks and copies the parts; header names are put in lower case. */
    public ConsoleRequest {
        method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        path = Objects.requireNonNullElse(path, "");
        query = Objects.requireNonNullElse(query, "");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers")
                .forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .addAll(v));
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body.clone();
        remote = Objects.requireNonNullElse(remote, "");
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The query's parameters (the first of each name). */
    public Map<String, String> parameters() {
        return decode(query);
    }

    /** The form's fields, when the body is {@code application/x-www-form-urlencoded} (the first of each name). */
    public Map<String, String> form() {
        String type = Objects.requireNonNullElse(header("content-type"), "");
        if (!type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        return decode(new String(body, StandardCharsets.UTF_8));
    }

    private static Map<String, String> decode(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                // a broken %-escape: the field is left out, and the form's check names what is missing
            }
        }
        return out;
    }

    @Override
    public String toString() {
        // Neither headers (a token, a cookie) nor the body (a secret typed in the set-up) are printed.
        return "ConsoleRequest{" + method + " " + path + "}";
    }
}
