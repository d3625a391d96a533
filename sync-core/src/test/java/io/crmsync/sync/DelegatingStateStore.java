package io.crmsync.sync;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A store that passes every call on; tests override one method to inject a crash. */
abstract class DelegatingStateStore implements StateStore {

  final StateStore inner;

  DelegatingStateStore(StateStore inner) {
    this.inner = inner;
  }

  @Override
  public Optional<ContactSnapshot> snapshot(long k) {
    return inner.snapshot(k);
  }

  @Override
  public Map<Long, ContactSnapshot> snapshots(Collection<Long> keys) {
    return inner.snapshots(keys);
  }

  @Override
  public boolean saveSnapshot(ContactSnapshot s) {
    return inner.saveSnapshot(s);
  }

  @Override
  public void deleteSnapshot(long k) {
    inner.deleteSnapshot(k);
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
  public boolean markProcessed(String ns, String id) {
    return inner.markProcessed(ns, id);
  }

  @Override
  public boolean isProcessed(String ns, String id) {
    return inner.isProcessed(ns, id);
  }

  @Override
  public void quarantine(String kind, String id, String reason, Instant at) {
    inner.quarantine(kind, id, reason, at);
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
  public Set<Long> queryMembers(long q) {
    return inner.queryMembers(q);
  }

  @Override
  public void updateQueryMembers(long q, Set<Long> added, Set<Long> removed) {
    inner.updateQueryMembers(q, added, removed);
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
