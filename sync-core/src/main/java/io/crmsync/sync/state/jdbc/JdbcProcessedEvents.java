package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.ProcessedEvents;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@link JdbcStateStore}'s processed-event ids, unique by primary key, so an effect happens once across instances. Package-private.
 */
final class JdbcProcessedEvents implements ProcessedEvents {

    private final SqlOps sql;
    private final boolean postgres;

    JdbcProcessedEvents(SqlOps sql, boolean postgres) {
        this.sql = sql;
        this.postgres = postgres;
    }

    @Override
    public boolean markProcessed(String namespace, String id) {
        return sql.run(c -> SqlOps.insertIfAbsent(
                c,
                "insert into crmsync_processed (namespace, event_id, processed_at)" + " values (?,?,?)",
                namespace,
                id,
                System.currentTimeMillis()));
    }

    @Override
    public Optional<Instant> processedAt(String namespace, String id) {
        return sql.run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select processed_at from crmsync_processed where namespace = ?" + " and event_id = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Instant.ofEpochMilli(rs.getLong(1))) : Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public boolean isProcessed(String namespace, String id) {
        return sql.run(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("select 1 from crmsync_processed where namespace = ? and event_id = ?")) {
                ps.setString(1, namespace);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public Set<String> processedAmong(String namespace, Collection<String> ids) {
        Set<String> processed = new HashSet<>();
        List<String> all = new ArrayList<>(new LinkedHashSet<>(ids));
        // The ids travel as one array parameter. An IN list would not do: with the namespace fixed, H2
        // walks the whole namespace and checks each row against every listed id.
        String query = postgres
                ? "select event_id from crmsync_processed where namespace = ? and event_id = any(?)"
                : "select p.event_id from table(x varchar = ?) t join crmsync_processed p on p.namespace = ? and p.event_id = t.x";
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            sql.run(c -> {
                try (PreparedStatement ps = c.prepareStatement(query)) {
                    Array array = c.createArrayOf("varchar", chunk.toArray());
                    ps.setString(postgres ? 1 : 2, namespace);
                    ps.setArray(postgres ? 2 : 1, array);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            processed.add(rs.getString(1));
                        }
                    }
                }
                return null;
            });
        }
        return processed;
    }

    @Override
    public void markAllProcessed(String namespace, Collection<String> ids) {
        // Callers pass ids they found unprocessed, so the batch is tried first; an id another writer
        // marked meanwhile fails it, and the ids are then marked one by one.
        List<String> fresh = new ArrayList<>(new LinkedHashSet<>(ids));
        if (fresh.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean batched = sql.run(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into crmsync_processed (namespace, event_id, processed_at)" + " values (?,?,?)")) {
                for (String id : fresh) {
                    ps.setString(1, namespace);
                    ps.setString(2, id);
                    ps.setLong(3, now);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (SqlOps.DUPLICATE_KEY.equals(e.getSQLState())
                        || (e.getNextException() != null
                                && SqlOps.DUPLICATE_KEY.equals(
                                        e.getNextException().getSQLState()))) {
                    return false; // another writer marked one meanwhile: mark them one by one below
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
        if (!batched) {
            for (String id : fresh) {
                markProcessed(namespace, id);
            }
        }
    }
}
