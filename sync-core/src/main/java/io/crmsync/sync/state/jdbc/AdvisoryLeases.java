package io.crmsync.sync.state.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases as PostgreSQL session-level advisory locks ({@code pg_try_advisory_lock}), each held on
 * a connection of its own: the server releases the lock when that connection dies, so a killed
 * holder frees the job as soon as PostgreSQL notices the closed socket, with no expiry to wait
 * for. Renewing checks that the connection still lives and still holds the lock. The lock key is
 * the first 64 bits of SHA-256 of {@code crmsync.lease/<schema>/<job>}, so stores in different
 * schemas of one database do not exclude each other. Package-private.
 */
final class AdvisoryLeases implements Leases {

    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLeases.class);

    private record Held(String owner, Connection connection) {}

    private final ConnectionSource connections;
    private final String schema;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    AdvisoryLeases(ConnectionSource connections, String schema) {
        this.connections = connections;
        this.schema = schema;
    }

    long lockKey(String job) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("crmsync.lease/" + schema + "/" + job).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public synchronized boolean tryLease(String job, String owner, Instant now, Duration ttl) {
        Held h = held.get(job);
        if (h != null) {
            if (!h.owner().equals(owner)) {
                return false;
            }
            if (stillHolds(h.connection(), job)) {
                return true;
            }
            held.remove(job); // the connection died: the server has released the lock
            quietlyClose(h.connection());
        }
        Connection c = null;
        try {
            c = connections.dedicated();
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, lockKey(job));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        held.put(job, new Held(owner, c));
                        c = null;
                        return true;
                    }
                    return false;
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException("could not take the " + job + " lease", e);
        } finally {
            if (c != null) {
                quietlyClose(c);
            }
        }
    }

    private boolean stillHolds(Connection c, String job) {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory'"
                        + " and pid = pg_backend_pid() and granted and objsubid = 1 and ((classid::bigint << 32) | objid::bigint) = ?")) {
            ps.setLong(1, lockKey(job));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized void releaseLease(String job, String owner) {
        Held h = held.get(job);
        if (h == null || !h.owner().equals(owner)) {
            return;
        }
        held.remove(job);
        try (PreparedStatement ps = h.connection().prepareStatement("select pg_advisory_unlock(?)")) {
            ps.setLong(1, lockKey(job));
            ps.execute();
        } catch (SQLException e) {
            LOG.debug("advisory unlock of {} failed; closing its connection releases it", job);
        } finally {
            quietlyClose(h.connection());
        }
    }

    @Override
    public synchronized void close() {
        for (Held h : held.values()) {
            quietlyClose(h.connection());
        }
        held.clear();
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already gone: the lock went with it
        }
    }
}
