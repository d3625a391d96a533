package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.QuarantineLog;
import io.crmsync.sync.state.QuarantinedRecord;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link JdbcStateStore}'s quarantined records with their reason, time, attempts and payload. Package-private.
 */
final class JdbcQuarantine implements QuarantineLog {

    private final SqlOps sql;

    JdbcQuarantine(SqlOps sql) {
        this.sql = sql;
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at) {
        quarantine(kind, id, reason, at, null);
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at, String payload) {
        String r = reason.length() > 4000 ? reason.substring(0, 4000) : reason;
        sql.upsert(
                "update crmsync_quarantine set reason = ?, at = ?, attempts = attempts + 1,"
                        + " payload = coalesce(?, payload) where kind = ? and record_id = ?",
                new Object[] {r, at.toEpochMilli(), payload, kind, id},
                "insert into crmsync_quarantine (kind, record_id, reason, at, attempts, payload) values (?,?,?,?,1,?)",
                new Object[] {kind, id, r, at.toEpochMilli(), payload});
    }

    @Override
    public void release(String kind, String id) {
        sql.update("delete from crmsync_quarantine where kind = ? and record_id = ?", kind, id);
    }

    @Override
    public List<QuarantinedRecord> quarantined() {
        return sql.run(c -> {
            List<QuarantinedRecord> list = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "select kind, record_id, reason, at, attempts, payload from crmsync_quarantine"
                                    + " order by at, record_id")) {
                while (rs.next()) {
                    list.add(new QuarantinedRecord(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)),
                            rs.getInt(5),
                            rs.getString(6)));
                }
            }
            return list;
        });
    }
}
