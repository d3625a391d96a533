package io.crmsync.efficy.internal;

import java.util.ArrayList;
import java.util.List;

/** List helpers of the client. Internal. */
public final class Lists {

    private Lists() {}

    /** {@code items} cut into consecutive sub-lists of at most {@code size}. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            chunks.add(items.subList(from, Math.min(items.size(), from + size)));
        }
        return chunks;
    }
}
