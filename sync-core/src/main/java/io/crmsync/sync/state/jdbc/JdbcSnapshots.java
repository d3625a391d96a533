package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.SnapshotStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link JdbcStateStore}'s per-contact snapshots, saved by compare-and-set on their version. Package-private.
 */
final class JdbcSnapshots implements SnapshotStore {

    private final SqlOps sql;

    JdbcSnapshots(SqlOps sql) {
        this.sql = sql;
    }

    @Override
    public Optional<ContactSnapshot> snapshot(long contactKey) {
        return Optional.ofNullable(snapshots(List.of(contactKey)).get(contactKey));
    }

    @Override
    public Map<Long, ContactSnapshot> snapshots(Collection<Long> contactKeys) {
        Map<Long, ContactSnapshot> found = new HashMap<>();
        List<Long> keys = new ArrayList<>(contactKeys);
        for (int from = 0; from < keys.size(); from += 500) {
            List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            KeyFilter filter = KeyFilter.of(chunk);
            sql.run(c -> {
                try (PreparedStatement ps = c.prepareStatement("select contact_key, version, fingerprint, payload,"
                        + " updated_at from crmsync_snapshot where " + filter.where())) {
                    filter.bind(ps);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long key = rs.getLong(1);
                            if (filter.wants(key)) {
                                found.put(
                                        key,
                                        SnapshotPayload.read(
                                                key,
                                                rs.getLong(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                Instant.ofEpochMilli(rs.getLong(5))));
                            }
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    @Override
    public boolean saveSnapshot(ContactSnapshot s) {
        if (s.version() < 1) {
            throw new IllegalArgumentException("a saved snapshot has version 1 or more");
        }
        String payload = SnapshotPayload.write(s);
        return sql.run(c -> {
            if (s.version() == 1) {
                return SqlOps.insertIfAbsent(
                        c,
                        "insert into crmsync_snapshot (contact_key, version, fingerprint, payload, updated_at)"
                                + " values (?,?,?,?,?)",
                        s.contactKey(),
                        1L,
                        s.fingerprint(),
                        payload,
                        s.updatedAt().toEpochMilli());
            }
            try (PreparedStatement ps = c.prepareStatement("update crmsync_snapshot set version = ?, fingerprint = ?,"
                    + " payload = ?, updated_at = ? where contact_key = ? and version = ?")) {
                ps.setLong(1, s.version());
                ps.setString(2, s.fingerprint());
                ps.setString(3, payload);
                ps.setLong(4, s.updatedAt().toEpochMilli());
                ps.setLong(5, s.contactKey());
                ps.setLong(6, s.version() - 1);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Saves the snapshots in one transaction: the updates as one JDBC batch of compare-and-set
     * statements (a row counts as saved when its version matched), the new ones as one batch of
     * inserts after one query for the keys already taken. Should another writer insert one of them
     * meanwhile (or should the list hold two first versions of one contact), the batch is rolled
     * back and the snapshots are saved one by one. Give each contact at most one snapshot per call.
     */
    @Override
    public List<Boolean> saveSnapshots(List<ContactSnapshot> list) {
        for (ContactSnapshot s : list) {
            if (s.version() < 1) {
                throw new IllegalArgumentException("a saved snapshot has version 1 or more");
            }
        }
        if (list.size() < 2) {
            return list.isEmpty() ? List.of() : List.of(saveSnapshot(list.get(0)));
        }
        List<String> payloads = list.stream().map(SnapshotPayload::write).toList();
        List<Boolean> batched = sql.run(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Boolean[] saved = new Boolean[list.size()];
                List<Integer> inserts = new ArrayList<>();
                List<Integer> updates = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    (list.get(i).version() == 1 ? inserts : updates).add(i);
                }
                if (!updates.isEmpty()) {
                    try (PreparedStatement ps =
                            c.prepareStatement("update crmsync_snapshot set version = ?, fingerprint = ?,"
                                    + " payload = ?, updated_at = ? where contact_key = ? and version = ?")) {
                        for (int i : updates) {
                            ContactSnapshot s = list.get(i);
                            ps.setLong(1, s.version());
                            ps.setString(2, s.fingerprint());
                            ps.setString(3, payloads.get(i));
                            ps.setLong(4, s.updatedAt().toEpochMilli());
                            ps.setLong(5, s.contactKey());
                            ps.setLong(6, s.version() - 1);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        for (int j = 0; j < updates.size(); j++) {
                            saved[updates.get(j)] = counts[j] == 1;
                        }
                    }
                }
                if (!inserts.isEmpty()) {
                    Set<Long> taken = new HashSet<>();
                    List<Long> keys =
                            inserts.stream().map(i -> list.get(i).contactKey()).toList();
                    for (int from = 0; from < keys.size(); from += 500) {
                        List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
                        KeyFilter filter = KeyFilter.of(chunk);
                        try (PreparedStatement ps = c.prepareStatement(
                                "select contact_key from crmsync_snapshot where " + filter.where())) {
                            filter.bind(ps);
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    taken.add(rs.getLong(1)); // keys in the range not inserted here do no harm
                                }
                            }
                        }
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement("insert into crmsync_snapshot (contact_key, version, fingerprint,"
                                    + " payload, updated_at) values (?,?,?,?,?)")) {
                        for (int i : inserts) {
                            ContactSnapshot s = list.get(i);
                            if (taken.contains(s.contactKey())) {
                                saved[i] = false;
                                continue;
                            }
                            ps.setLong(1, s.contactKey());
                            ps.setLong(2, 1L);
                            ps.setString(3, s.fingerprint());
                            ps.setString(4, payloads.get(i));
                            ps.setLong(5, s.updatedAt().toEpochMilli());
                            ps.addBatch();
                            saved[i] = true;
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
                return Arrays.asList(saved);
            } catch (SQLException e) {
                c.rollback();
                if (SqlOps.DUPLICATE_KEY.equals(e.getSQLState())
                        || (e.getNextException() != null
                                && SqlOps.DUPLICATE_KEY.equals(
                                        e.getNextException().getSQLState()))) {
                    return null; // another writer inserted one of them: one by one below
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
        if (batched != null) {
            return batched;
        }
        List<Boolean> saved = new ArrayList<>(list.size());
        for (ContactSnapshot s : list) {
            saved.add(saveSnapshot(s));
        }
        return saved;
    }

    @Override
    public void deleteSnapshot(long contactKey) {
        sql.update("delete from crmsync_snapshot where contact_key = ?", contactKey);
    }

    @Override
    public void clearSnapshots() {
        sql.update("delete from crmsync_snapshot");
    }
}
