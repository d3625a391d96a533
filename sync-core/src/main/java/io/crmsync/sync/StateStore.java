package io.crmsync.sync;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the engine remembers between calls and runs: per-contact snapshots (saved by
 * compare-and-set on their version, so two engines never overwrite each other's update), named
 * cursors and checkpoints, processed-event ids (for exactly-once effects on top of at-least-once
 * delivery), quarantined records, stored-query memberships and leases (one runner per job).
 *
 * <p>Shipped: {@link InMemoryStateStore} (tests, one process) and
 * {@link io.crmsync.sync.state.jdbc.JdbcStateStore} (H2 embedded, or PostgreSQL shared by several
 * instances). Implementations must be thread-safe.
 *
 * <pre>{@code
 * StateStore store = StateStore.inMemory();
 * StateStore shared = JdbcStateStore.create(dataSourceOrUrl);
 * }</pre>
 */
public interface StateStore {

  /** A new in-memory store. */
  static StateStore inMemory() {
    return new InMemoryStateStore();
  }

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

  /** Forgets a contact's snapshot. */
  void deleteSnapshot(long contactKey);

  /** Forgets every snapshot (after a mapping change, to force re-sending; rarely needed). */
  void clearSnapshots();

  /** A named cursor. */
  Optional<String> cursor(String name);

  /** Stores a named cursor. */
  void saveCursor(String name, String value);

  /** Forgets a named cursor. */
  void deleteCursor(String name);

  /**
   * Marks an event id processed within a namespace.
   *
   * @return true if it was not processed before (this caller owns its effect)
   */
  boolean markProcessed(String namespace, String id);

  /** Whether an event id was processed. */
  boolean isProcessed(String namespace, String id);

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

  /** The contacts last known to be members of a stored query. */
  Set<Long> queryMembers(long queryKey);

  /** Records membership changes of a stored query. */
  void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed);

  /**
   * Takes or renews the lease on a job for {@code owner} until {@code now + ttl}; succeeds when the
   * job is free, its lease expired, or {@code owner} already holds it.
   */
  boolean tryLease(String job, String owner, Instant now, Duration ttl);

  /** Gives a lease back, if {@code owner} holds it. */
  void releaseLease(String job, String owner);
}
