package io.crmsync.efficy.contact;

import io.crmsync.efficy.rpc.Row;
import java.util.Map;
import java.util.Set;

/**
 * One contact read with a {@code consult}.
 *
 * @param key K_CONTACT
 * @param master the master fields asked for
 * @param categories category name to its row (absent when the contact has none)
 * @param profiles K_PROFILE of each Profile membership (empty when not asked for)
 */
public record ContactRecord(long key, Row master, Map<String, Row> categories, Set<Long> profiles) {

    /** Copies the collections. */
    public ContactRecord {
        categories = Map.copyOf(categories);
        profiles = Set.copyOf(profiles);
    }

    @Override
    public String toString() {
        return "ContactRecord{key=" + key + ", categories=" + categories.keySet() + ", profiles=" + profiles + "}";
    }
}
