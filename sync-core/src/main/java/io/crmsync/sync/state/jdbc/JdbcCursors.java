package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.CheckpointStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * {@link JdbcStateStore}'s named cursors and checkpoints. Package-private.
 */
final class JdbcCursors implements CheckpointStore {

    private final SqlOps sql;

    JdbcCursors(SqlOps sql) {
        this.sql = sql;
    }

    @Override
    public Optional<String> cursor(String name) {
        return sql.run(c -> {
            try (PreparedStatement ps = c.prepareStatement("select cursor_value from crmsync_cursor where name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void saveCursor(String name, String value) {
        long now = System.currentTimeMillis();
        sql.upsert(
                "update crmsync_cursor set cursor_value = ?, updated_at = ? where name = ?",
                new Object[] {value, now, name},
                "insert into crmsync_cursor (name, cursor_value, updated_at) values (?,?,?)",
                new Object[] {name, value, now});
    }

    @Override
    public void deleteCursor(String name) {
        sql.update("delete from crmsync_cursor where name = ?", name);
    }
}
