package io.crmsync.sync.state.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code where} condition that selects up to a few hundred contact keys from the snapshot
 * table. A full sync's page is a run of consecutive keys: one index range ({@code between}) reads
 * it several times faster than an {@code IN} list, which H2 evaluates by comparing each row with
 * every listed value; the range may return keys that were not asked for, which {@link #wants}
 * leaves out. Sparse keys use the {@code IN} list, which reads no other row.
 */
record KeyFilter(String where, List<Long> keys, long min, long max, Set<Long> wanted) {

    static KeyFilter of(List<Long> keys) {
        long min = keys.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = keys.stream().mapToLong(Long::longValue).max().orElseThrow();
        if (max - min < 2L * keys.size()) {
            return new KeyFilter("contact_key between ? and ?", keys, min, max, new HashSet<>(keys));
        }
        return new KeyFilter(
                "contact_key in ("
                        + String.join(",", keys.stream().map(k -> "?").toList()) + ")",
                keys,
                min,
                max,
                null);
    }

    /** Binds the condition's parameters, from the first. */
    void bind(PreparedStatement ps) throws SQLException {
        if (wanted != null) {
            ps.setLong(1, min);
            ps.setLong(2, max);
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            ps.setLong(i + 1, keys.get(i));
        }
    }

    /** Whether a key the query returned was asked for. */
    boolean wants(long key) {
        return wanted == null || wanted.contains(key);
    }
}
