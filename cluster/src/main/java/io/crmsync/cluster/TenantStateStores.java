package io.crmsync.cluster;

import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Tenant-scoped state: a {@link JdbcStateStore} per tenant, each in a PostgreSQL schema of its own
 * ({@code crmsync_t_<id>}, {@code -} as {@code _}), on the cluster's shared data source. The
 * store's SQL names its tables without a schema; each connection it borrows has its
 * {@code search_path} set to the tenant's schema, and reset when given back, so the pool stays
 * usable by db-scheduler and the host. One tenant's rows can therefore never be read through
 * another's store, and {@link #purge} removes a tenant's state entirely (GDPR erasure) with one
 * {@code drop schema}.
 *
 * <pre>{@code
 * TenantStateStores stores = new TenantStateStores(dataSource);
 * StateStore acme = stores.open("acme");
 * }</pre>
 */
public final class TenantStateStores {

    private final DataSource dataSource;
    /** Tenants whose schema this instance made or upgraded; later opens only check its version. */
    private final Set<String> migrated = ConcurrentHashMap.newKeySet();

    /** Stores on the cluster's data source (PostgreSQL). */
    public TenantStateStores(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The schema that holds a tenant's state. */
    public static String schemaOf(String tenantId) {
        return "crmsync_t_" + Tenant.checkId(tenantId).replace('-', '_');
    }

    /**
     * Opens a tenant's store, creating its schema and tables when missing (the first time this
     * instance opens it; later opens only check the schema's version, so rebuilding an evicted
     * engine takes no DDL lock).
     *
     * @throws ClusterException when the schema cannot be made
     */
    public StateStore open(String tenantId) {
        String schema = schemaOf(tenantId);
        if (migrated.contains(tenantId)) {
            try {
                return JdbcStateStore.builder()
                        .dataSource(new Scoped(dataSource, schema))
                        .migrate(false)
                        .build();
            } catch (RuntimeException gone) {
                migrated.remove(tenantId); // purged elsewhere and added again: make it anew
            }
        }
        // One migration of a tenant's schema at a time across the cluster: PostgreSQL's "create ... if
        // not exists" is not safe against a second session making the same table at the same moment.
        try (Connection lock = dataSource.getConnection();
                PreparedStatement ps = lock.prepareStatement("select pg_advisory_lock(hashtext(?))")) {
            ps.setString(1, "crmsync.tenant." + schema);
            ps.execute();
            try {
                execute("create schema if not exists " + schema, tenantId);
                StateStore store = JdbcStateStore.builder()
                        .dataSource(new Scoped(dataSource, schema))
                        .build();
                migrated.add(tenantId);
                return store;
            } finally {
                try (PreparedStatement unlock = lock.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
                    unlock.setString(1, "crmsync.tenant." + schema);
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            throw new ClusterException("could not make tenant " + tenantId + "'s state: " + e.getMessage(), e);
        }
    }

    /**
     * Deletes a tenant's whole state: snapshots, cursors, processed ids, quarantine and query
     * members.
     *
     * @throws ClusterException when the schema cannot be dropped
     */
    public void purge(String tenantId) {
        execute("drop schema if exists " + schemaOf(tenantId) + " cascade", tenantId);
        migrated.remove(tenantId);
    }

    /** Whether a tenant has state. */
    public boolean exists(String tenantId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("select 1 from information_schema.schemata where schema_name = ?")) {
            ps.setString(1, schemaOf(tenantId));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new ClusterException("could not look for tenant " + tenantId + "'s state: " + e.getMessage(), e);
        }
    }

    private void execute(String sql, String tenantId) {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.execute(sql);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw new ClusterException("tenant " + tenantId + "'s state schema: " + e.getMessage(), e);
        }
    }

    /** The data source seen by one tenant's store: connections whose search path is its schema. */
    private static final class Scoped implements DataSource {
        private final DataSource inner;
        private final String schema;

        Scoped(DataSource inner, String schema) {
            this.inner = inner;
            this.schema = schema;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return scope(inner.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return scope(inner.getConnection(user, password));
        }

        private Connection scope(Connection c) throws SQLException {
            try (Statement st = c.createStatement()) {
                st.execute("set search_path to " + schema);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            InvocationHandler h = (proxy, method, args) -> {
                if (method.getName().equals("close") && method.getParameterCount() == 0) {
                    try {
                        if (!c.isClosed()) {
                            if (!c.getAutoCommit()) {
                                c.rollback();
                                c.setAutoCommit(true);
                            }
                            try (Statement st = c.createStatement()) {
                                st.execute("reset search_path");
                            }
                        }
                    } catch (SQLException ignored) {
                        // the pool validates and drops a broken connection
                    }
                    c.close();
                    return null;
                }
                try {
                    return method.invoke(c, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            };
            return (Connection)
                    Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return inner.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            inner.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            inner.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return inner.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return inner.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return inner.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return inner.isWrapperFor(iface);
        }
    }
}
