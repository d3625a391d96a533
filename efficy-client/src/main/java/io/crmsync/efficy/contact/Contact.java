package io.crmsync.efficy.contact;

import io.crmsync.efficy.rpc.Row;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * One contact read in a page: its key, its row of fields (checkbox consent fields included), and
 * the Efficy Profiles ({@code Prof}) it belongs to when those were asked for.
 *
 * @param key K_CONTACT
 * @param row the selected fields
 * @param profiles the K_PROFILE values of its Profile memberships (empty when not asked for)
 * @param changedAt D_CHANGE, when selected
 */
public record Contact(long key, Row row, Set<Long> profiles, Optional<LocalDateTime> changedAt) {

    /** Copies the profile set. */
    public Contact {
        profiles = Set.copyOf(profiles);
    }

    @Override
    public String toString() {
        // Field values are personal data.
        return "Contact{key=" + key + ", profiles=" + profiles + "}";
    }
}
