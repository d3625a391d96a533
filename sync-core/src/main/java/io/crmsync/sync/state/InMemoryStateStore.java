package io.crmsync.sync.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StateStore} in memory: for tests and for a single process that may forget its state on
 * restart (the next full sync then re-sends everything). Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {

    private final Map<Long, ContactSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, String> cursors = new ConcurrentHashMap<>();
    private final Map<String, Instant> processed = new ConcurrentHashMap<>();
    private final Map<String, QuarantinedRecord> quarantine = new ConcurrentHashMap<>();
    private final Map<Long, Set<Long>> members = new ConcurrentHashMap<>();
    private final Map<String, String[]> leases = new HashMap<>();

    @Override
    public Optional<ContactSnapshot> snapshot(long contactKey) {
        return Optional.ofNullable(snapshots.get(contactKey));
    }

    @Override
    public Map<Long, ContactSnapshot> snapshots(Collection<Long> contactKeys) {
        Map<Long, ContactSnapshot> found = new HashMap<>();
        for (long key : contactKeys) {
            ContactSnapshot s = snapshots.get(key);
            if (s != null) {
                found.put(key, s);
            }
        }
        return found;
    }

    @Override
    public boolean saveSnapshot(ContactSnapshot snapshot) {
        if (snapshot.version() < 1) {
            throw new IllegalArgumentException("a saved snapshot has version 1 or more");
        }
        boolean[] saved = {false};
        snapshots.compute(snapshot.contactKey(), (k, current) -> {
            long expected = snapshot.version() - 1;
            long actual = current == null ? 0 : current.version();
            if (actual == expected) {
                saved[0] = true;
                return snapshot;
            }
            return current;
        });
        return saved[0];
    }

    @Override
    public void deleteSnapshot(long contactKey) {
        snapshots.remove(contactKey);
    }

    @Override
    public void clearSnapshots() {
        snapshots.clear();
    }

    @Override
    public Optional<String> cursor(String name) {
        return Optional.ofNullable(cursors.get(name));
    }

    @Override
    public void saveCursor(String name, String value) {
        cursors.put(name, value);
    }

    @Override
    public void deleteCursor(String name) {
        cursors.remove(name);
    }

    @Override
    public boolean markProcessed(String namespace, String id) {
        return processed.putIfAbsent(namespace + "\u0000" + id, Instant.now()) == null;
    }

    @Override
    public boolean isProcessed(String namespace, String id) {
        return processed.containsKey(namespace + "\u0000" + id);
    }

    @Override
    public Optional<Instant> processedAt(String namespace, String id) {
        return Optional.ofNullable(processed.get(namespace + "\u0000" + id));
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at) {
        quarantine(kind, id, reason, at, null);
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at, String payload) {
        quarantine.merge(
                kind + "\u0000" + id,
                new QuarantinedRecord(kind, id, reason, at, 1, payload),
                (old, now) -> new QuarantinedRecord(
                        kind, id, reason, at, old.attempts() + 1, payload != null ? payload : old.payload()));
    }

    @Override
    public void release(String kind, String id) {
        quarantine.remove(kind + "\u0000" + id);
    }

    @Override
    public List<QuarantinedRecord> quarantined() {
        List<QuarantinedRecord> list = new ArrayList<>(quarantine.values());
        list.sort(Comparator.comparing(QuarantinedRecord::at).thenComparing(QuarantinedRecord::id));
        return list;
    }

    @Override
    public Set<Long> queryMembers(long queryKey) {
        return Set.copyOf(members.getOrDefault(queryKey, Set.of()));
    }

    @Override
    public void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed) {
        members.compute(queryKey, (k, current) -> {
            Set<Long> next = current == null ? new HashSet<>() : new HashSet<>(current);
            next.addAll(added);
            next.removeAll(removed);
            return next;
        });
    }

    @Override
    public synchronized boolean tryLease(String job, String owner, Instant now, Duration ttl) {
        String[] current = leases.get(job);
        if (current == null
                || current[0].equals(owner)
                || Instant.parse(current[1]).isBefore(now)) {
            leases.put(job, new String[] {owner, now.plus(ttl).toString()});
            return true;
        }
        return false;
    }

    @Override
    public synchronized void releaseLease(String job, String owner) {
        String[] current = leases.get(job);
        if (current != null && current[0].equals(owner)) {
            leases.remove(job);
        }
    }
}
