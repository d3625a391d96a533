package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import io.crmsync.sync.state.StateStore;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link StateStore} in a relational database: H2 (embedded, a file or memory; the default for a
 * single process) or PostgreSQL (shared by several engine instances). It creates its tables on
 * first use (names start with {@code crmsync_}) and records their version in
 * {@code crmsync_schema}; a database with a newer schema version is refused rather than
 * misread.
 *
 * <p>Snapshots are saved by compare-and-set on their version and processed ids rely on primary
 * keys, so several instances sharing one PostgreSQL store never lose an update. Leases use what
 * the database offers, so that a killed holder never blocks the next run for long:
 * <ul>
 *   <li>PostgreSQL: a session-level advisory lock on a connection the store holds for the run;
 *       the server frees it when the holder's connection dies.
 *   <li>Embedded H2 opened from a URL (a file or memory): H2's file lock already keeps other
 *       processes out, so leases are kept in this JVM and die with it.
 *   <li>Otherwise (H2 through a server, or a host's H2 data source): rows with an expiry time,
 *       which the engine's heartbeat renews.
 * </ul> The SQL is plain SQL that both databases accept; no vendor upsert is used.
 * Times are stored as epoch milliseconds. Opened from a URL it keeps a pool of 4 connections; on a
 * host's {@link DataSource} it keeps none. The DDL ships as {@code schema-h2.sql} and
 * {@code schema-postgresql.sql}; {@link Builder#migrate(boolean)} leaves applying it to the host.
 *
 * <pre>{@code
 * StateStore store = JdbcStateStore.create("jdbc:h2:file:./crmsync-state");
 * StateStore shared = JdbcStateStore.create("jdbc:postgresql://127.0.0.1:5432/crmsync", "crmsync", password);
 * }</pre>
 */
public final class JdbcStateStore implements StateStore {

    /** The schema version this code reads and writes. */
    public static final int SCHEMA_VERSION = 2;

    private final SqlOps sql;
    private final Leases leases;
    private final JdbcSnapshots snapshots;
    private final JdbcCursors cursors;
    private final JdbcProcessedEvents processedEvents;
    private final JdbcQuarantine quarantine;
    private final JdbcQueryMemberships queryMemberships;

    private JdbcStateStore(ConnectionSource connections, boolean migrate, String url) {
        this.sql = new SqlOps(connections);
        boolean postgres = sql.run(c -> c.getMetaData()
                .getDatabaseProductName()
                .toLowerCase(Locale.ROOT)
                .contains("postgres"));
        migrate(migrate);
        this.leases = chooseLeases(connections, url);
        this.snapshots = new JdbcSnapshots(sql);
        this.cursors = new JdbcCursors(sql);
        this.processedEvents = new JdbcProcessedEvents(sql, postgres);
        this.quarantine = new JdbcQuarantine(sql);
        this.queryMemberships = new JdbcQueryMemberships(sql);
    }

    private Leases chooseLeases(ConnectionSource connections, String url) {
        return sql.run(c -> {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("select current_schema()")) {
                    rs.next();
                    return new AdvisoryLeases(connections, rs.getString(1));
                }
            }
            String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
            boolean embedded = lower.startsWith("jdbc:h2:")
                    && !lower.startsWith("jdbc:h2:tcp:")
                    && !lower.startsWith("jdbc:h2:ssl:")
                    && !lower.contains("auto_server=true");
            if (!embedded) {
                return new RowLeases(sql);
            }
            String path = null;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select database_path()")) {
                if (rs.next()) {
                    path = rs.getString(1);
                }
            }
            return new ProcessLeases(path != null ? path : url);
        });
    }

    /** A store at a JDBC URL (H2 or PostgreSQL) without credentials. */
    public static JdbcStateStore create(String jdbcUrl) {
        return builder().url(jdbcUrl).build();
    }

    /**
     * Starts a builder: a JDBC URL (with its own pool of 4 connections) or the host's
     * {@link DataSource} (no pool of its own), and whether the store applies its schema. Example:
     *
     * <pre>{@code
     * JdbcStateStore store = JdbcStateStore.builder().dataSource(hostDataSource).migrate(false).build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A store at a JDBC URL with a user and password. */
    public static JdbcStateStore create(String jdbcUrl, String user, String password) {
        return builder().url(jdbcUrl, user, password).build();
    }

    /**
     * A store on the host application's data source, used as it is: the store keeps no pool of its
     * own on top of the host's.
     */
    public static JdbcStateStore create(DataSource dataSource) {
        return builder().dataSource(dataSource).build();
    }

    private void migrate(boolean apply) {
        sql.run(c -> {
            if (apply) {
                StateSchema.apply(c, SCHEMA_VERSION);
            } else {
                StateSchema.check(c, SCHEMA_VERSION);
            }
            return null;
        });
    }

    @Override
    public Optional<ContactSnapshot> snapshot(long contactKey) {
        return snapshots.snapshot(contactKey);
    }

    @Override
    public Map<Long, ContactSnapshot> snapshots(Collection<Long> contactKeys) {
        return snapshots.snapshots(contactKeys);
    }

    @Override
    public boolean saveSnapshot(ContactSnapshot s) {
        return snapshots.saveSnapshot(s);
    }

    @Override
    public List<Boolean> saveSnapshots(List<ContactSnapshot> list) {
        return snapshots.saveSnapshots(list);
    }

    @Override
    public void deleteSnapshot(long contactKey) {
        snapshots.deleteSnapshot(contactKey);
    }

    @Override
    public void clearSnapshots() {
        snapshots.clearSnapshots();
    }

    @Override
    public Optional<String> cursor(String name) {
        return cursors.cursor(name);
    }

    @Override
    public void saveCursor(String name, String value) {
        cursors.saveCursor(name, value);
    }

    @Override
    public void deleteCursor(String name) {
        cursors.deleteCursor(name);
    }

    @Override
    public boolean markProcessed(String namespace, String id) {
        return processedEvents.markProcessed(namespace, id);
    }

    @Override
    public Optional<Instant> processedAt(String namespace, String id) {
        return processedEvents.processedAt(namespace, id);
    }

    @Override
    public boolean isProcessed(String namespace, String id) {
        return processedEvents.isProcessed(namespace, id);
    }

    @Override
    public Set<String> processedAmong(String namespace, Collection<String> ids) {
        return processedEvents.processedAmong(namespace, ids);
    }

    @Override
    public void markAllProcessed(String namespace, Collection<String> ids) {
        processedEvents.markAllProcessed(namespace, ids);
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at) {
        quarantine.quarantine(kind, id, reason, at);
    }

    @Override
    public void quarantine(String kind, String id, String reason, Instant at, String payload) {
        quarantine.quarantine(kind, id, reason, at, payload);
    }

    @Override
    public void release(String kind, String id) {
        quarantine.release(kind, id);
    }

    @Override
    public List<QuarantinedRecord> quarantined() {
        return quarantine.quarantined();
    }

    @Override
    public Set<Long> queryMembers(long queryKey) {
        return queryMemberships.queryMembers(queryKey);
    }

    @Override
    public void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed) {
        queryMemberships.updateQueryMembers(queryKey, added, removed);
    }

    // --- leases ----------------------------------------------------------------------------------

    @Override
    public boolean tryLease(String job, String owner, Instant now, Duration ttl) {
        return leases.tryLease(job, owner, now, ttl);
    }

    @Override
    public void releaseLease(String job, String owner) {
        leases.releaseLease(job, owner);
    }

    @Override
    public void close() {
        leases.close();
        sql.close();
    }

    @Override
    public String toString() {
        return "JdbcStateStore{schema=" + SCHEMA_VERSION + "}";
    }

    /**
     * Builds a {@link JdbcStateStore}. One of {@link #url} or {@link #dataSource} is required.
     * Default: the store applies its schema ({@code schema-h2.sql} or {@code schema-postgresql.sql},
     * shipped in this jar beside the class) on start.
     */
    public static final class Builder {
        private ConnectionSource connections;
        private String url;
        private boolean migrate = true;

        private Builder() {}

        /** A JDBC URL (H2 or PostgreSQL) without credentials; the store keeps a pool of 4 connections. */
        public Builder url(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            this.url = jdbcUrl;
            this.connections = new ConnectionPool(() -> DriverManager.getConnection(jdbcUrl), 4);
            return this;
        }

        /** A JDBC URL with a user and password; the store keeps a pool of 4 connections. */
        public Builder url(String jdbcUrl, String user, String password) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            this.url = jdbcUrl;
            this.connections = new ConnectionPool(() -> DriverManager.getConnection(jdbcUrl, user, password), 4);
            return this;
        }

        /** The host's data source, used as it is (no pool of the store's own). */
        public Builder dataSource(DataSource dataSource) {
            this.connections = ConnectionSource.of(Objects.requireNonNull(dataSource, "dataSource"));
            this.url = null;
            return this;
        }

        /**
         * Whether the store creates and upgrades its tables on start (default true). With false, the
         * host applies the shipped DDL (with Flyway, Liquibase or by hand) and the store only checks
         * that the schema has the version it needs, failing with the script to apply when not.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Opens the store.
         *
         * @throws StateStoreException when the database cannot be reached or its schema is not usable
         */
        public JdbcStateStore build() {
            if (connections == null) {
                throw new IllegalStateException("JdbcStateStore needs a url or a dataSource");
            }
            return new JdbcStateStore(connections, migrate, url);
        }
    }
}
