package io.crmsync.sync.state.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Where the store's connections come from: its own small pool, or the host's data source. */
interface ConnectionSource extends AutoCloseable {

    /** Work on a connection in auto-commit mode. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} with a connection in auto-commit mode. */
    <T> T with(SqlWork<T> work) throws SQLException;

    /**
     * A connection of its own, outside any pool the store keeps, for the caller to hold and close
     * (a PostgreSQL advisory lock lives as long as its connection).
     */
    Connection dedicated() throws SQLException;

    @Override
    void close();

    /**
     * The host's data source, used as it is: it is the host's pool, so a connection is borrowed for
     * each operation and given back at once, and the store keeps none of its own.
     */
    static ConnectionSource of(DataSource dataSource) {
        return new ConnectionSource() {
            @Override
            public <T> T with(SqlWork<T> work) throws SQLException {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(true);
                    return work.run(c);
                }
            }

            @Override
            public Connection dedicated() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void close() {
                // the data source is the host's to close
            }
        };
    }
}
