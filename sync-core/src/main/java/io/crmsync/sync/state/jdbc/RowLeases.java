package io.crmsync.sync.state.jdbc;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;

/**
 * Leases as rows of {@code crmsync_lease} with an expiry time: the fallback where nothing better
 * exists (an H2 database reached through a server, or a host's H2 data source). A holder that dies
 * blocks the job until its lease runs out. Package-private.
 */
final class RowLeases implements Leases {

    private final SqlOps sql;

    RowLeases(SqlOps sql) {
        this.sql = sql;
    }

    @Override
    public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
        long until = now.plus(ttl).toEpochMilli();
        return sql.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("update crmsync_lease set owner = ?, expires_at = ?"
                    + " where job = ? and (owner = ? or expires_at < ?)")) {
                ps.setString(1, owner);
                ps.setLong(2, until);
                ps.setString(3, job);
                ps.setString(4, owner);
                ps.setLong(5, now.toEpochMilli());
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            return SqlOps.insertIfAbsent(
                    c, "insert into crmsync_lease (job, owner, expires_at) values (?,?,?)", job, owner, until);
        });
    }

    @Override
    public void releaseLease(String job, String owner) {
        sql.update("delete from crmsync_lease where job = ? and owner = ?", job, owner);
    }

    @Override
    public void close() {
        // nothing held
    }
}
