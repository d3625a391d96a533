package io.crmsync.efficy.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to one function: the echoed arguments and its {@code #result}, readable as a dataset,
 * a scalar or a string list.
 */
public final class FuncResult {

    private final JsonNode node;

    FuncResult(JsonNode node) {
        this.node = node;
    }

    /** The function's {@code @name}. */
    public String name() {
        return node.path("@name").asText();
    }

    /** An echoed argument (e.g. {@code category} or {@code detail}), or empty. */
    public Optional<String> arg(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    /** The raw {@code #result}, or a missing node. */
    public JsonNode result() {
        JsonNode r = node.get("#result");
        return r == null ? MissingNode.getInstance() : r;
    }

    /**
     * The result as a dataset.
     *
     * @throws IllegalStateException when the result holds no dataset
     */
    public Dataset dataset() {
        return Dataset.find(result())
                .orElseThrow(() -> new IllegalStateException("function " + name() + " returned no dataset"));
    }

    /** The result as a scalar rendered as text (empty when absent or null). */
    public Optional<String> scalar() {
        JsonNode r = result();
        if (r.isMissingNode() || r.isNull() || r.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(r.asText());
    }

    /** The result as a string list ({@code "#class":"stringlist"}), or as a plain JSON array. */
    public List<String> stringList() {
        JsonNode r = result();
        JsonNode data = r.isObject() ? r.path("#data") : r;
        List<String> items = new ArrayList<>();
        if (data.isArray()) {
            data.forEach(item -> items.add(item.asText()));
        }
        return items;
    }

    /**
     * The string list read as {@code Key=Value} pairs, in order; an item without {@code =} maps to
     * the empty string.
     */
    public Map<String, String> keyValues() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : stringList()) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                map.put(item, "");
            } else {
                map.put(item.substring(0, eq), item.substring(eq + 1));
            }
        }
        return map;
    }

    /** The raw JSON of the function. */
    public JsonNode json() {
        return node;
    }

    @Override
    public String toString() {
        return "FuncResult{" + name() + "}";
    }
}
