package io.crmsync.sync.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link StateStore} that passes every call on to another one: extend it and override what you
 * want to observe or change (auditing, metrics, fault injection in tests), keeping the wrapped
 * store's guarantees for the rest.
 *
 * <p>Calls that have a richer form reach it, so one override sees them all: bulk snapshot saves go
 * through {@link #saveSnapshot} one by one, and {@code quarantine} without a payload goes through
 * {@link #quarantine(String, String, String, java.time.Instant, String)}. {@link #close()} closes
 * the wrapped store.
 *
 * <pre>{@code
 * StateStore counted = new ForwardingStateStore(JdbcStateStore.create(url)) {
 *   public boolean saveSnapshot(ContactSnapshot s) {
 *     saves.increment();
 *     return super.saveSnapshot(s);
 *   }
 * };
 * }</pre>
 */
public abstract class ForwardingStateStore implements StateStore {

    private final StateStore inner;

    protected ForwardingStateStore(StateStore inner) {
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
    public Set<String> processedAmong(String namespace, Collection<String> ids) {
        return inner.processedAmong(namespace, ids);
    }

    @Override
    public void markAllProcessed(String namespace, Collection<String> ids) {
        inner.markAllProcessed(namespace, ids);
    }

    @Override
    public Optional<Instant> processedAt(String ns, String id) {
        return inner.processedAt(ns, id);
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at) {
        quarantine(kind, id, reason, at, null);
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at, String payload) {
        inner.quarantine(kind, id, reason, at, payload);
    }

    @Override
    public void close() {
        inner.close();
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
