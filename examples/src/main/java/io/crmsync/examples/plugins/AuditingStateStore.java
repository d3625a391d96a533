package io.crmsync.examples.plugins;

import io.crmsync.sync.StateStore;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A custom {@link StateStore} plug-in: wraps another store and writes an audit line for every
 * snapshot saved and every record quarantined (contact keys and reasons only, no personal data).
 * A store must keep the contract of compare-and-set saves and unique processed ids; delegating
 * keeps it.
 *
 * <pre>{@code
 * StateStore store = new AuditingStateStore(JdbcStateStore.create(url), System.err);
 * }</pre>
 */
public final class AuditingStateStore implements StateStore {

  private final StateStore inner;
  private final PrintStream audit;

  /** Wraps {@code inner}, writing audit lines to {@code audit}. */
  public AuditingStateStore(StateStore inner, PrintStream audit) {
    this.inner = inner;
    this.audit = audit;
  }

  @Override
  public boolean saveSnapshot(ContactSnapshot snapshot) {
    boolean saved = inner.saveSnapshot(snapshot);
    audit.printf("audit snapshot contact=%d version=%d saved=%s%n", snapshot.contactKey(), snapshot.version(), saved);
    return saved;
  }

  @Override
  public void quarantine(String kind, String id, String reason, Instant at) {
    inner.quarantine(kind, id, reason, at);
    audit.printf("audit quarantine %s=%s reason=%s%n", kind, id, reason);
  }

  @Override
  public Optional<ContactSnapshot> snapshot(long contactKey) {
    return inner.snapshot(contactKey);
  }

  @Override
  public Map<Long, ContactSnapshot> snapshots(Collection<Long> contactKeys) {
    return inner.snapshots(contactKeys);
  }

  @Override
  public void deleteSnapshot(long contactKey) {
    inner.deleteSnapshot(contactKey);
  }

  @Override
  public void clearSnapshots() {
    inner.clearSnapshots();
  }

  @Override
  public Optional<String> cursor(String name) {
    return inner.cursor(name);
  }

  @Override
  public void saveCursor(String name, String value) {
    inner.saveCursor(name, value);
  }

  @Override
  public void deleteCursor(String name) {
    inner.deleteCursor(name);
  }

  @Override
  public boolean markProcessed(String namespace, String id) {
    return inner.markProcessed(namespace, id);
  }

  @Override
  public boolean isProcessed(String namespace, String id) {
    return inner.isProcessed(namespace, id);
  }

  @Override
  public void release(String kind, String id) {
    inner.release(kind, id);
  }

  @Override
  public List<QuarantinedRecord> quarantined() {
    return inner.quarantined();
  }

  @Override
  public Set<Long> queryMembers(long queryKey) {
    return inner.queryMembers(queryKey);
  }

  @Override
  public void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed) {
    inner.updateQueryMembers(queryKey, added, removed);
  }

  @Override
  public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
    return inner.tryLease(job, owner, now, ttl);
  }

  @Override
  public void releaseLease(String job, String owner) {
    inner.releaseLease(job, owner);
  }
}
