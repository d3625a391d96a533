package io.crmsync.efficy.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code "#class":"dataset"} result: a list of flat rows. Reads both the Enterprise form
 * {@code "#data":[...]} and the Efficy U form {@code "#data":{"data":[...]}}.
 */
public final class Dataset {

    private final List<Row> rows;

    private Dataset(List<Row> rows) {
        this.rows = rows;
    }

    /** A dataset of the given rows. */
    public static Dataset of(List<Row> rows) {
        return new Dataset(List.copyOf(rows));
    }

    /**
     * Finds the first dataset in a function's result, searching nested objects depth-first as
     * Efficy's own client does.
     */
    static Optional<Dataset> find(JsonNode result) {
        if (result == null || !result.isContainerNode()) {
            return Optional.empty();
        }
        if (result.isObject()
                && "dataset".equalsIgnoreCase(result.path("#class").asText())) {
            JsonNode data = result.get("#data");
            if (data != null && data.isObject() && data.has("data")) {
                data = data.get("data");
            }
            List<Row> rows = new ArrayList<>();
            if (data != null && data.isArray()) {
                for (JsonNode row : data) {
                    if (row.isObject()) {
                        rows.add(new Row((ObjectNode) row));
                    }
                }
            }
            return Optional.of(new Dataset(List.copyOf(rows)));
        }
        for (JsonNode child : result) {
            Optional<Dataset> found = find(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The rows, in server order. */
    public List<Row> rows() {
        return rows;
    }

    /** The number of rows. */
    public int size() {
        return rows.size();
    }

    /** Whether there is no row. */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    @Override
    public String toString() {
        return "Dataset{" + rows.size() + " rows}";
    }
}
