package io.crmsync.efficy.rpc;

import io.crmsync.efficy.internal.EfficyNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One function inside a context's {@code @func} list: its {@code @name}, its lowercase arguments
 * and, for writes, its {@code @data} row.
 *
 * <p>Immutable; {@link #with} and {@link #data} return a new function. Argument names are sent as
 * given, and Efficy ignores unknown names silently, so use the lowercase names of the protocol
 * ({@code recordcount}, not {@code recordCount}).
 *
 * <pre>{@code
 * RpcFunc query = RpcFunc.named("query").with("key", 99990034).with("recordcount", 0);
 * RpcFunc update = RpcFunc.named("update").data(Map.of("F_NEWSLETTER", "1"));
 * }</pre>
 */
public final class RpcFunc {

    private final String name;
    private final Map<String, Object> args;
    private final Map<String, Object> data;

    private RpcFunc(String name, Map<String, Object> args, Map<String, Object> data) {
        this.name = name;
        this.args = args;
        this.data = data;
    }

    /** A function with no arguments. */
    public static RpcFunc named(String name) {
        return new RpcFunc(EfficyNames.require("function", name), Map.of(), null);
    }

    /**
     * Returns a copy with one more argument. Values may be strings, numbers, booleans, lists or
     * maps of those.
     */
    public RpcFunc with(String argument, Object value) {
        EfficyNames.require("argument", argument);
        Objects.requireNonNull(value, () -> "value of argument " + argument);
        Map<String, Object> copy = new LinkedHashMap<>(args);
        copy.put(argument, value);
        return new RpcFunc(name, Collections.unmodifiableMap(copy), data);
    }

    /**
     * Returns a copy carrying {@code @data}: field names to values. Field names are checked; a
     * {@code null} value is sent as JSON null.
     */
    public RpcFunc data(Map<String, ?> row) {
        Map<String, Object> copy = new LinkedHashMap<>();
        row.forEach((field, value) -> copy.put(EfficyNames.require("field", field), value));
        return new RpcFunc(name, args, Collections.unmodifiableMap(copy));
    }

    /** The {@code @name}. */
    public String name() {
        return name;
    }

    /** The arguments, in the order they were added. */
    public Map<String, Object> args() {
        return args;
    }

    /** The {@code @data} row, or null when there is none. */
    public Map<String, Object> data() {
        return data;
    }

    @Override
    public String toString() {
        // Arguments and data may hold personal data; only the name is shown.
        return "RpcFunc{" + name + "}";
    }
}
