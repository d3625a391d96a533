package io.crmsync.config.keys;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a configuration key holds: how its text is parsed and checked, how a value is written back
 * as text (for defaults in the docs), and what it is called in the docs and in Spring's metadata.
 * A parse failure is an {@link IllegalArgumentException} whose message says what was expected and
 * never repeats the value: the caller decides whether the value may be shown.
 *
 * @param <T> the parsed type
 */
public final class ValueType<T> {

    /** Any text. */
    public static final ValueType<String> TEXT = new ValueType<>("text", "java.lang.String", s -> s, s -> s);

    /** {@code true} or {@code false}. */
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>(
            "true or false",
            "java.lang.Boolean",
            s -> {
                String v = s.trim().toLowerCase(Locale.ROOT);
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException("is not true or false");
                }
                return Boolean.valueOf(v);
            },
            String::valueOf);

    /** An ISO-8601 duration that is zero (off) or positive, such as {@code PT15M}. */
    public static final ValueType<Duration> INTERVAL = duration("ISO-8601 duration, PT0S = off", false);

    /** An ISO-8601 duration above zero. */
    public static final ValueType<Duration> POSITIVE_DURATION = duration("positive ISO-8601 duration", true);

    /** A time zone id such as {@code UTC} or {@code Europe/Brussels}. */
    public static final ValueType<ZoneId> ZONE = new ValueType<>(
            "time zone id",
            "java.time.ZoneId",
            s -> {
                try {
                    return ZoneId.of(s.trim());
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("is not a time zone id such as UTC or Europe/Brussels");
                }
            },
            z -> z.equals(ZoneOffset.UTC) ? "UTC" : z.getId());

    /** A file system path. */
    public static final ValueType<Path> PATH = new ValueType<>(
            "path",
            "java.nio.file.Path",
            s -> {
                try {
                    return Path.of(s.trim());
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("is not a path");
                }
            },
            Path::toString);

    /** A number above zero. */
    public static final ValueType<Double> POSITIVE_NUMBER = new ValueType<>(
            "positive number",
            "java.lang.Double",
            s -> {
                double d;
                try {
                    d = Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("is not a number");
                }
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("must be a positive number");
                }
                return d;
            },
            d -> d == Math.rint(d) ? Long.toString(d.longValue()) : Double.toString(d));

    private final String description;
    private final String javaType;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private ValueType(String description, String javaType, Function<String, T> parser, Function<T, String> formatter) {
        this.description = description;
        this.javaType = javaType;
        this.parser = parser;
        this.formatter = formatter;
    }

    /**
     * A value written as text and checked by {@code parser}, which throws
     * {@link IllegalArgumentException} saying what was expected (never repeating the value).
     *
     * @param description what the docs call it
     * @param parser from text to the value
     * @param formatter from the value back to its text
     */
    public static <T> ValueType<T> text(String description, Function<String, T> parser, Function<T, String> formatter) {
        return new ValueType<>(
                Objects.requireNonNull(description, "description"),
                "java.lang.String",
                Objects.requireNonNull(parser, "parser"),
                Objects.requireNonNull(formatter, "formatter"));
    }

    /** A whole number from {@code min} to {@code max}. */
    public static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>(
                "whole number " + min + ".." + max,
                "java.lang.Integer",
                s -> {
                    int n;
                    try {
                        n = Integer.parseInt(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("is not a whole number");
                    }
                    if (n < min || n > max) {
                        throw new IllegalArgumentException("must be between " + min + " and " + max);
                    }
                    return n;
                },
                String::valueOf);
    }

    /** One of an enum's constants, in any case. */
    public static <E extends Enum<E>> ValueType<E> choice(Class<E> type) {
        String names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        return new ValueType<>(
                "one of " + names,
                type.getName(),
                s -> {
                    try {
                        return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("is not one of " + names);
                    }
                },
                Enum::name);
    }

    /** One of the given words, in any case; the value is the word as declared. */
    public static ValueType<String> word(String... words) {
        String names = String.join(", ", words);
        return new ValueType<>(
                "one of " + names,
                "java.lang.String",
                s -> {
                    for (String w : words) {
                        if (w.equalsIgnoreCase(s.trim())) {
                            return w;
                        }
                    }
                    throw new IllegalArgumentException("is not one of " + names);
                },
                s -> s);
    }

    private static ValueType<Duration> duration(String description, boolean positive) {
        return new ValueType<>(
                description,
                "java.time.Duration",
                s -> {
                    Duration d;
                    try {
                        d = Duration.parse(s.trim());
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("is not an ISO-8601 duration such as PT15M");
                    }
                    if (d.isNegative() || (positive && d.isZero())) {
                        throw new IllegalArgumentException(positive ? "must be positive" : "must not be negative");
                    }
                    return d;
                },
                Duration::toString);
    }

    /**
     * Parses a value's text.
     *
     * @throws IllegalArgumentException saying what was expected, without the value
     */
    public T parse(String text) {
        return parser.apply(Objects.requireNonNull(text, "text"));
    }

    /** A value as the text that parses back to it. */
    public String format(T value) {
        return formatter.apply(value);
    }

    /** What the type accepts, for documentation ("whole number 1..64"). */
    public String description() {
        return description;
    }

    /** The Java type named in Spring's configuration metadata. */
    public String javaType() {
        return javaType;
    }

    @Override
    public String toString() {
        return description;
    }
}
