package io.crmsync.efficy.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answer to one context: the echoed parameters the server filled in ({@code key},
 * {@code edithandle}, {@code consulthandle}) and one {@link FuncResult} per function, in request
 * order. Keys may come back as numbers or as numeric strings; both are read.
 */
public final class ContextResult {

    private final String id;
    private final JsonNode node;
    private final List<FuncResult> funcs;

    ContextResult(String id, JsonNode node) {
        this.id = id;
        this.node = node;
        List<FuncResult> list = new ArrayList<>();
        node.path("@func").forEach(f -> list.add(new FuncResult(f)));
        this.funcs = List.copyOf(list);
    }

    /** The context's {@code #id} as sent. */
    public String id() {
        return id;
    }

    /** The record key the server reports (a created record's new key after an edit with key 0). */
    public OptionalLong key() {
        return numeric("key");
    }

    /** The edit handle, when the context was left open. */
    public OptionalLong editHandle() {
        return numeric("edithandle");
    }

    /** The consult handle, when the context was left open. */
    public OptionalLong consultHandle() {
        return numeric("consulthandle");
    }

    /** The functions' answers, in request order. */
    public List<FuncResult> funcs() {
        return funcs;
    }

    /**
     * The function at {@code index} (request order).
     *
     * @throws IllegalStateException when the server sent fewer functions
     */
    public FuncResult func(int index) {
        if (index < 0 || index >= funcs.size()) {
            throw new IllegalStateException(
                    "context " + id + " has " + funcs.size() + " function answers, wanted number " + index);
        }
        return funcs.get(index);
    }

    /** The first function answer with the given {@code @name}. */
    public Optional<FuncResult> func(String name) {
        return funcs.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The raw JSON of the context. */
    public JsonNode json() {
        return node;
    }

    private OptionalLong numeric(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (v.isIntegralNumber()) {
            return OptionalLong.of(v.asLong());
        }
        String s = v.asText().trim();
        try {
            return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public String toString() {
        return "ContextResult{" + id + ", funcs=" + funcs + "}";
    }
}
