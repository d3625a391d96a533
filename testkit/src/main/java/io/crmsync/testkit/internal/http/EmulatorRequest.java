package io.crmsync.testkit.internal.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a route sees it.
 *
 * @param method the HTTP method
 * @param uri the request URI (path and query)
 * @param headers request headers, names in lower case
 * @param body the body bytes
 */
public record EmulatorRequest(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header (name case-insensitive). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The decoded path. */
    public String path() {
        return uri.getPath();
    }

    /** The raw (still encoded) path. */
    public String rawPath() {
        return uri.getRawPath();
    }
}
