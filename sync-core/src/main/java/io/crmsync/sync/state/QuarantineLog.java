package io.crmsync.sync.state;

import java.time.Instant;
import java.util.List;

/**
 * The role of a state store that keeps the records the engine could not sync, with their reason,
 * until a later run succeeds with them. Implementations are thread-safe.
 */
public interface QuarantineLog {

    /** Quarantines a record (or counts one more attempt of a quarantined one). */
    void quarantine(String kind, String id, String reason, Instant at);

    /**
     * Quarantines a record with what is needed to try it again later (see
     * {@link QuarantinedRecord#payload()}); a later call without a payload keeps the stored one.
     * The shipped stores keep the payload. This default, for stores written before it existed,
     * keeps only the reason, so such a store cannot retry reverse-sync events once their export
     * window has passed: override it.
     *
     * @since 0.2.0
     */
    default void quarantine(String kind, String id, String reason, Instant at, String payload) {
        quarantine(kind, id, reason, at);
    }

    /** Releases a record from quarantine (it synced). */
    void release(String kind, String id);

    /** The quarantined records, oldest first. */
    List<QuarantinedRecord> quarantined();
}
