package io.crmsync.sync;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Efficy contact as the engine's SPIs see it: its key, its fields as text (upper-case names;
 * absent and empty are both "no value"), and its Efficy Profile memberships.
 *
 * @param key K_CONTACT
 * @param fields field name (upper case) to text value
 * @param profiles K_PROFILE of each membership
 * @param changedAt D_CHANGE, when known
 */
public record ContactData(long key, Map<String, String> fields, Set<Long> profiles, Optional<LocalDateTime> changedAt) {

    /** Copies the collections. */
    public ContactData {
        fields = Map.copyOf(fields);
        profiles = Set.copyOf(profiles);
    }

    /** A field's value, empty when absent or blank. */
    public Optional<String> field(String name) {
        String v = fields.get(name.toUpperCase(Locale.ROOT));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public String toString() {
        // Field values are personal data.
        return "ContactData{key=" + key + ", fields=" + fields.keySet() + ", profiles=" + profiles + "}";
    }
}
