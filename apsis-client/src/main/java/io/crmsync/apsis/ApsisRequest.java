package io.crmsync.apsis;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One request as the services describe it to the transport: method, route template, encoded path,
 * a log-safe path, body, headers, and how it may be retried and rate-limited. Package-private.
 */
final class ApsisRequest {

    final String method;
    final String route;
    final String path;
    final String logPath;
    final List<String> query;
    final byte[] body;
    final String contentType;
    final String accept;
    final String profileKey;
    final boolean idempotent;
    final Set<Integer> tolerated;
    final RateLimiter.Kind kind;
    final URI absolute;
    final boolean authenticated;
    final Supplier<HttpRequest.BodyPublisher> publisher;

    private ApsisRequest(Builder b) {
        this.method = b.method;
        this.route = b.method + " " + b.template;
        this.path = b.path;
        this.logPath = b.logPath;
        this.query = List.copyOf(b.query);
        this.body = b.body;
        this.contentType = b.contentType;
        this.accept = b.accept;
        this.profileKey = b.profileKey;
        this.idempotent = b.idempotent;
        this.tolerated = Set.copyOf(b.tolerated);
        this.kind = b.kind;
        this.absolute = b.absolute;
        this.authenticated = b.authenticated;
        this.publisher = b.publisher;
    }

    /**
     * Starts a request. Placeholders {@code {name}} in the template are filled in order with the
     * values, percent-encoded as path segments; a placeholder named {@code {pk}} holds a profile key,
     * which is shown as {@code ***} in logs and errors and is the key of the per-profile limit.
     */
    static Builder builder(String method, String template, String... values) {
        return new Builder(method, template, values);
    }

    /** Percent-encodes one path segment (RFC 3986: only unreserved characters stay as they are). */
    static String encodeSegment(String value) {
        StringBuilder b = new StringBuilder();
        for (byte raw : value.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                b.append((char) c);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    static final class Builder {
        private final String method;
        private final String template;
        private final String path;
        private final String logPath;
        private final List<String> query = new ArrayList<>();
        private byte[] body;
        private String contentType;
        private String accept = "application/json";
        private String profileKey;
        private boolean idempotent;
        private final HashSet<Integer> tolerated = new HashSet<>();
        private RateLimiter.Kind kind = RateLimiter.Kind.ORDINARY;
        private URI absolute;
        private boolean authenticated = true;
        private Supplier<HttpRequest.BodyPublisher> publisher;

        private Builder(String method, String template, String[] values) {
            this.method = method;
            this.template = template;
            StringBuilder encoded = new StringBuilder();
            StringBuilder safe = new StringBuilder();
            int valueIndex = 0;
            int i = 0;
            while (i < template.length()) {
                int open = template.indexOf('{', i);
                if (open < 0) {
                    encoded.append(template, i, template.length());
                    safe.append(template, i, template.length());
                    break;
                }
                int close = template.indexOf('}', open);
                encoded.append(template, i, open);
                safe.append(template, i, open);
                String name = template.substring(open + 1, close);
                String value = Objects.requireNonNull(values[valueIndex++], name);
                encoded.append(encodeSegment(value));
                if (name.equals("pk")) {
                    safe.append("***");
                    this.profileKey = value;
                } else {
                    safe.append(encodeSegment(value));
                }
                i = close + 1;
            }
            if (valueIndex != values.length) {
                throw new IllegalArgumentException("route " + template + " takes " + valueIndex + " values");
            }
            this.path = encoded.toString();
            this.logPath = safe.toString();
        }

        /** Adds a query parameter; name and value are encoded. */
        Builder query(String name, String value) {
            query.add(encodeSegment(name) + "=" + encodeSegment(value));
            return this;
        }

        Builder json(byte[] json) {
            return body(json, "application/json");
        }

        Builder body(byte[] bytes, String type) {
            this.body = bytes;
            this.contentType = type;
            return this;
        }

        /** A streamed body (a file upload); the supplier is called once per attempt. */
        Builder stream(Supplier<HttpRequest.BodyPublisher> body, String type) {
            this.publisher = body;
            this.contentType = type;
            return this;
        }

        Builder accept(String accept) {
            this.accept = accept;
            return this;
        }

        Builder idempotent() {
            this.idempotent = true;
            return this;
        }

        /** Statuses that are an answer, not an error, for this operation (e.g. 409 on create). */
        Builder tolerate(int... statuses) {
            for (int s : statuses) {
                tolerated.add(s);
            }
            return this;
        }

        Builder kind(RateLimiter.Kind kind) {
            this.kind = kind;
            return this;
        }

        /** Sends to an absolute URI (an upload URL) without the bearer token. */
        Builder absolute(URI uri) {
            this.absolute = uri;
            this.authenticated = false;
            return this;
        }

        ApsisRequest build() {
            return new ApsisRequest(this);
        }
    }
}
