package io.crmsync.efficy.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of a dataset: field names to values, with typed accessors that accept the forms Efficy
 * sends. Field names are matched exactly first, then ignoring case (Efficy field names are upper
 * case but some servers echo them otherwise).
 *
 * <p>Absent fields and JSON null read as empty. A value that cannot be read as the asked type
 * throws {@link IllegalStateException} naming the field (never the value, which may be personal
 * data).
 */
public final class Row {

    /** {@code 2021-01-08T00:00:00} and {@code 2022-03-14 09:00:00}, with optional fractions. */
    static final DateTimeFormatter EFFICY_DATE_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart()
            .appendLiteral('T')
            .optionalEnd()
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .optionalStart()
            .appendPattern("HH:mm")
            .optionalStart()
            .appendPattern(":ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
            .toFormatter();

    private final ObjectNode node;

    /** Wraps a flat JSON object. */
    public Row(ObjectNode node) {
        this.node = node;
    }

    /** The field names, in the order the server sent them. */
    public List<String> fields() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Whether the row has the field (with any value, null included). */
    public boolean has(String field) {
        return find(field) != null;
    }

    /** The raw JSON value, or empty when absent or null. */
    public Optional<JsonNode> raw(String field) {
        JsonNode v = find(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    /** The value as text; numbers and booleans are rendered as text. */
    public Optional<String> text(String field) {
        return raw(field).map(JsonNode::asText);
    }

    /** The value as a long; numeric strings are accepted, a blank string reads as empty. */
    public OptionalLong longValue(String field) {
        Optional<JsonNode> v = raw(field);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode n = v.get();
        if (n.isIntegralNumber()) {
            return OptionalLong.of(n.asLong());
        }
        if (n.isNumber() && n.asDouble() == Math.rint(n.asDouble())) {
            return OptionalLong.of((long) n.asDouble());
        }
        String s = n.asText().trim();
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("field " + field + " is not a whole number");
        }
    }

    /** The value as a long, which must be present. */
    public long requireLong(String field) {
        return longValue(field).orElseThrow(() -> new IllegalStateException("field " + field + " is missing"));
    }

    /**
     * The value as a boolean: {@code "1"}, {@code 1}, {@code true} and {@code "true"} are true;
     * {@code "0"}, {@code 0}, {@code false}, {@code "false"} and blank are false.
     */
    public Optional<Boolean> bool(String field) {
        Optional<JsonNode> v = raw(field);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        JsonNode n = v.get();
        if (n.isBoolean()) {
            return Optional.of(n.booleanValue());
        }
        String s = n.asText().trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
            case "t":
                return Optional.of(true);
            case "0":
            case "false":
            case "f":
            case "":
                return Optional.of(false);
            default:
                throw new IllegalStateException("field " + field + " is not a 0/1 boolean");
        }
    }

    /**
     * The value as a date-time, from {@code 2021-01-08T00:00:00}, {@code 2022-03-14 09:00:00} or a
     * bare date, with optional fractions of a second. Blank reads as empty.
     */
    public Optional<LocalDateTime> dateTime(String field) {
        Optional<String> v = text(field).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        LocalDateTime plain = plainDateTime(v.get());
        if (plain != null) {
            return Optional.of(plain);
        }
        try {
            return Optional.of(LocalDateTime.parse(v.get(), EFFICY_DATE_TIME));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("field " + field + " is not a date-time");
        }
    }

    /** The underlying JSON object (shared, do not modify). */
    public ObjectNode json() {
        return node;
    }

    /**
     * The common forms read without the formatter (which allocates a parse context per value, and
     * every contact of every page has a change date): {@code yyyy-MM-dd}, optionally followed by
     * {@code T} or a space and {@code HH:mm}, {@code HH:mm:ss} or {@code HH:mm:ss.fffffffff} (1 to 9
     * fraction digits). Null for any other text or for values out of range, which the formatter
     * then reads (or refuses) as before.
     */
    private static LocalDateTime plainDateTime(String s) {
        int n = s.length();
        if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nano = 0;
        if (n > 10) {
            if (n < 16 || (s.charAt(10) != 'T' && s.charAt(10) != ' ') || s.charAt(13) != ':') {
                return null;
            }
            hour = digits(s, 11, 2);
            minute = digits(s, 14, 2);
            if (n > 16) {
                if (n < 19 || s.charAt(16) != ':') {
                    return null;
                }
                second = digits(s, 17, 2);
                if (n > 19) {
                    int fraction = n - 20;
                    if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                        return null;
                    }
                    nano = digits(s, 20, fraction);
                    for (int i = fraction; i < 9 && nano >= 0; i++) {
                        nano *= 10;
                    }
                }
            }
        }
        if ((year | month | day | hour | minute | second | nano) < 0
                || year < 1
                || month < 1
                || month > 12
                || day < 1
                || day > Month.of(month).length(Year.isLeap(year))
                || hour > 23
                || minute > 59
                || second > 59) {
            return null; // the formatter's smart resolution decides those
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nano);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private JsonNode find(String field) {
        JsonNode v = node.get(field);
        if (v != null) {
            return v;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equalsIgnoreCase(field)) {
                return node.get(name);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        // Values are personal data; show the shape only.
        return "Row" + fields();
    }
}
