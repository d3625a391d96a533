package io.crmsync.sync.internal.forward;

import io.crmsync.sync.internal.plan.Planner;
import io.crmsync.sync.state.ContactSnapshot;

/** How {@link ContactSyncer} reshapes a snapshot without writing anything. Internal. */
final class SnapshotEdits {

    private SnapshotEdits() {}

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
