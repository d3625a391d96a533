package io.crmsync.client;

import java.util.List;
import java.util.Map;

/** HTTP headers as hosts hand them over: names in any case, each with its values. */
public final class Headers {

    private Headers() {}

    /** The first value of the header {@code name} (in any case), or null. */
    public static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey() != null
                    && h.getKey().equalsIgnoreCase(name)
                    && h.getValue() != null
                    && !h.getValue().isEmpty()) {
                return h.getValue().get(0);
            }
        }
        return null;
    }
}
