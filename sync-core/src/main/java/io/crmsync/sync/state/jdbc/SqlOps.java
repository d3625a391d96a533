package io.crmsync.sync.state.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The store's plain-SQL plumbing: running work on a connection, update, insert-if-absent and
 * upsert without any vendor syntax (the database's primary keys decide races), and binding
 * parameters. Thread-safe.
 */
final class SqlOps implements AutoCloseable {

    /** SQLSTATE of a unique-key violation, the same on H2 and PostgreSQL. */
    static final String DUPLICATE_KEY = "23505";

    private final ConnectionSource connections;

    SqlOps(ConnectionSource connections) {
        this.connections = connections;
    }

    /** Inserts a row; false when its primary key exists (the database, not a read, decides). */
    static boolean insertIfAbsent(Connection c, String insert, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            bind(ps, args);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    void upsert(String update, Object[] updateArgs, String insert, Object[] insertArgs) {
        run(c -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    bind(ps, updateArgs);
                    if (ps.executeUpdate() > 0) {
                        return null;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    bind(ps, insertArgs);
                    ps.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                        throw e;
                    }
                    // Another writer inserted it between our update and insert: update again.
                }
            }
            throw new SQLException("could not upsert after 3 attempts");
        });
    }

    void update(String sql, Object... args) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                return ps.executeUpdate();
            }
        });
    }

    static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    <T> T run(ConnectionSource.SqlWork<T> work) {
        try {
            return connections.with(work);
        } catch (SQLException e) {
            throw new StateStoreException("state store operation failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connections.close();
    }
}
