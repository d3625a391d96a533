package io.crmsync.sync.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The role of a state store that keeps each contact's last-synced snapshot, saved by
 * compare-and-set on its version so that two engines never overwrite each other's update.
 * Implementations are thread-safe.
 */
public interface SnapshotStore {

    /** The snapshot of a contact. */
    Optional<ContactSnapshot> snapshot(long contactKey);

    /** The snapshots of several contacts (absent keys have none). */
    Map<Long, ContactSnapshot> snapshots(Collection<Long> contactKeys);

    /**
     * Saves a snapshot if the stored version is still {@code snapshot.version() - 1} (or there is
     * none and the snapshot's version is 1).
     *
     * @return false when another writer got there first (re-read and re-plan)
     */
    boolean saveSnapshot(ContactSnapshot snapshot);

    /**
     * Saves several snapshots, each by compare-and-set as {@link #saveSnapshot}. This default saves
     * them one by one; a store that can do better (one batch per page) overrides it.
     *
     * @return for each snapshot, in order, whether it was saved
     * @since 0.2.0
     */
    default List<Boolean> saveSnapshots(List<ContactSnapshot> snapshots) {
        List<Boolean> saved = new ArrayList<>(snapshots.size());
        for (ContactSnapshot s : snapshots) {
            saved.add(saveSnapshot(s));
        }
        return saved;
    }

    /** Forgets a contact's snapshot. */
    void deleteSnapshot(long contactKey);

    /** Forgets every snapshot (after a mapping change, to force re-sending; rarely needed). */
    void clearSnapshots();
}
