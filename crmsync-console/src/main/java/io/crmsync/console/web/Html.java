package io.crmsync.console.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds HTML text: every value written through {@link #text} is escaped, so nothing a tenant,
 * Efficy or APSIS sends can become markup. Not thread-safe (one per page). Internal.
 */
public final class Html {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@'\"<>(),;:]+@[^\\s@'\"<>(),;:]+");

    private final StringBuilder out = new StringBuilder(4096);

    /** Appends markup written by the console itself (never data). */
    public Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends text, escaped. */
    public Html text(Object value) {
        out.append(escape(String.valueOf(value)));
        return this;
    }

    /** Appends {@code <tag>escaped text</tag>}. */
    public Html el(String tag, Object value) {
        return raw("<" + tag + ">").text(value).raw("</" + tag.split(" ")[0] + ">");
    }

    /** A hidden form field. */
    public Html hidden(String name, String value) {
        return raw("<input type=\"hidden\" name=\"")
                .text(name)
                .raw("\" value=\"")
                .text(value)
                .raw("\">");
    }

    /** A one-button form that posts to {@code action} with the CSRF token and the given fields. */
    public Html button(String action, String csrf, String label, String... fields) {
        raw("<form method=\"post\" class=\"inline\" action=\"").text(action).raw("\">");
        hidden("csrf", csrf);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            hidden(fields[i], fields[i + 1]);
        }
        return raw("<button type=\"submit\">").text(label).raw("</button></form>");
    }

    /** Escapes text for an element or a quoted attribute. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Masks e-mail addresses as the logs do ({@code ***@***}). */
    public static String mask(String s) {
        return s == null ? "" : ADDRESS.matcher(s).replaceAll("***@***");
    }

    /** A time as shown on every page (UTC, to the second). */
    public static String time(Instant at) {
        return TIME.format(at);
    }

    /** A time, or a dash. */
    public static String time(Optional<Instant> at) {
        return at.map(Html::time).orElse("–");
    }

    /** A duration as {@code 1.2 s}, {@code 3 min 4 s}. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 10_000) {
            return String.format("%.1f s", ms / 1000.0);
        }
        long s = d.toSeconds();
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
