package io.crmsync.sync.state.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A few reusable JDBC connections for a store opened from a JDBC URL, so that a PostgreSQL-backed
 * store does not pay a connection set-up per call (a store on a host's data source has none). A connection that failed is closed instead of being reused. Thread-safe.
 */
final class ConnectionPool implements ConnectionSource {

    /** Opens a new connection. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final BlockingQueue<Connection> idle;
    private final Semaphore permits;

    ConnectionPool(Opener opener, int size) {
        this.opener = opener;
        this.idle = new ArrayBlockingQueue<>(size);
        this.permits = new Semaphore(size, true);
    }

    @Override
    public <T> T with(SqlWork<T> work) throws SQLException {
        permits.acquireUninterruptibly();
        Connection c = null;
        boolean broken = false;
        try {
            c = idle.poll();
            if (c == null || c.isClosed()) {
                c = opener.open();
            }
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException | RuntimeException e) {
            broken = c != null && !isValid(c);
            throw e;
        } finally {
            if (c != null) {
                if (broken || !idle.offer(c)) {
                    quietlyClose(c);
                }
            }
            permits.release();
        }
    }

    @Override
    public Connection dedicated() throws SQLException {
        return opener.open();
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void quietlyClose(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            quietlyClose(c);
        }
    }
}
