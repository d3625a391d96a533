package io.crmsync.sync.internal.plan;

import java.util.Set;

/**
 * What of a profile APSIS may hold otherwise than the snapshot says: the attributes and consent
 * slots this writer sent while another writer, whose snapshot won, may have sent its own after. The
 * planner sends the contact's values for these whatever the snapshot says. Internal.
 *
 * @param attributes attribute discriminators
 * @param consents consent slots
 */
public record Unknown(Set<String> attributes, Set<String> consents) {

    /** Nothing unknown: the snapshot is what APSIS holds. */
    public static final Unknown NONE = new Unknown(Set.of(), Set.of());

    /** Copies both sets. */
    public Unknown {
        attributes = Set.copyOf(attributes);
        consents = Set.copyOf(consents);
    }

    /** Whether nothing is unknown. */
    public boolean isEmpty() {
        return attributes.isEmpty() && consents.isEmpty();
    }
}
