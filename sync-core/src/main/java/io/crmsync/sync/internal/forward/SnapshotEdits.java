package io.crmsync.sync.internal.forward;

import io.crmsync.sync.internal.plan.Planner;
import io.crmsync.sync.state.ContactSnapshot;
import java.util.HashMap;
import java.util.Map;

/** How {@link ContactSyncer} reshapes a snapshot without writing anything. Internal. */
final class SnapshotEdits {

    private SnapshotEdits() {}

    /** The snapshot as APSIS holds it after this writer's own writes over another's. */
    static ContactSnapshot overlay(ContactSnapshot s, Map<String, Object> attributes, Map<String, Boolean> consents) {
        Map<String, Object> a = new HashMap<>(s.attributes());
        attributes.forEach((k, v) -> {
            if (v == null) {
                a.remove(k);
            } else {
                a.put(k, v);
            }
        });
        Map<String, Boolean> c = new HashMap<>(s.consents());
        c.putAll(consents);
        // A fingerprint no content has, so the contact is compared field by field.
        return new ContactSnapshot(
                s.contactKey(), s.version(), "overlaid", a, c, s.matched(), s.profileCreated(), s.updatedAt());
    }

    /** The snapshot without its "refused before" mark, so the contact is sent again. */
    static ContactSnapshot forgetRejection(ContactSnapshot s) {
        if (!s.fingerprint().startsWith(Planner.REJECTED)) {
            return s;
        }
        return new ContactSnapshot(
                s.contactKey(),
                s.version(),
                "retry",
                s.attributes(),
                s.consents(),
                s.matched(),
                s.profileCreated(),
                s.updatedAt());
    }
}
