package io.crmsync.sync.state.jdbc;

import io.crmsync.sync.state.StateStore;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
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
  private final boolean postgres;

  private JdbcStateStore(ConnectionSource connections, boolean migrate, String url) {
    this.sql = new SqlOps(connections);
    this.postgres = sql.run(c -> c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
        .contains("postgres"));
    migrate(migrate);
    this.leases = chooseLeases(connections, url);
  }

  private Leases chooseLeases(ConnectionSource connections, String url) {
    return sql.run(c -> {
      String product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
      if (product.contains("postgres")) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select current_schema()")) {
          rs.next();
          return new AdvisoryLeases(connections, rs.getString(1));
        }
      }
      String lower = url == null ? "" : url.toLowerCase(java.util.Locale.ROOT);
      boolean embedded = lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:tcp:")
          && !lower.startsWith("jdbc:h2:ssl:") && !lower.contains("auto_server=true");
      if (!embedded) {
        return new RowLeases(sql);
      }
      String path = null;
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select database_path()")) {
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

  // --- snapshots -------------------------------------------------------------------------------

  @Override
  public Optional<ContactSnapshot> snapshot(long contactKey) {
    return Optional.ofNullable(snapshots(List.of(contactKey)).get(contactKey));
  }

  @Override
  public Map<Long, ContactSnapshot> snapshots(Collection<Long> contactKeys) {
    Map<Long, ContactSnapshot> found = new HashMap<>();
    List<Long> keys = new ArrayList<>(contactKeys);
    for (int from = 0; from < keys.size(); from += 500) {
      List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
      KeyFilter filter = KeyFilter.of(chunk);
      sql.run(c -> {
        try (PreparedStatement ps = c.prepareStatement("select contact_key, version, fingerprint, payload,"
            + " updated_at from crmsync_snapshot where " + filter.where())) {
          filter.bind(ps);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long key = rs.getLong(1);
              if (filter.wants(key)) {
                found.put(key, SnapshotPayload.read(key, rs.getLong(2), rs.getString(3), rs.getString(4),
                    Instant.ofEpochMilli(rs.getLong(5))));
              }
            }
          }
        }
        return null;
      });
    }
    return found;
  }

  @Override
  public boolean saveSnapshot(ContactSnapshot s) {
    if (s.version() < 1) {
      throw new IllegalArgumentException("a saved snapshot has version 1 or more");
    }
    String payload = SnapshotPayload.write(s);
    return sql.run(c -> {
      if (s.version() == 1) {
        return SqlOps.insertIfAbsent(c, "insert into crmsync_snapshot (contact_key, version, fingerprint, payload, updated_at)"
            + " values (?,?,?,?,?)", s.contactKey(), 1L, s.fingerprint(), payload, s.updatedAt().toEpochMilli());
      }
      try (PreparedStatement ps = c.prepareStatement("update crmsync_snapshot set version = ?, fingerprint = ?,"
          + " payload = ?, updated_at = ? where contact_key = ? and version = ?")) {
        ps.setLong(1, s.version());
        ps.setString(2, s.fingerprint());
        ps.setString(3, payload);
        ps.setLong(4, s.updatedAt().toEpochMilli());
        ps.setLong(5, s.contactKey());
        ps.setLong(6, s.version() - 1);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /**
   * Saves the snapshots in one transaction: the updates as one JDBC batch of compare-and-set
   * statements (a row counts as saved when its version matched), the new ones as one batch of
   * inserts after one query for the keys already taken. Should another writer insert one of them
   * meanwhile (or should the list hold two first versions of one contact), the batch is rolled
   * back and the snapshots are saved one by one. Give each contact at most one snapshot per call.
   */
  @Override
  public List<Boolean> saveSnapshots(List<ContactSnapshot> list) {
    for (ContactSnapshot s : list) {
      if (s.version() < 1) {
        throw new IllegalArgumentException("a saved snapshot has version 1 or more");
      }
    }
    if (list.size() < 2) {
      return list.isEmpty() ? List.of() : List.of(saveSnapshot(list.get(0)));
    }
    List<String> payloads = list.stream().map(SnapshotPayload::write).toList();
    List<Boolean> batched = sql.run(c -> {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Boolean[] saved = new Boolean[list.size()];
        List<Integer> inserts = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          (list.get(i).version() == 1 ? inserts : updates).add(i);
        }
        if (!updates.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement("update crmsync_snapshot set version = ?, fingerprint = ?,"
              + " payload = ?, updated_at = ? where contact_key = ? and version = ?")) {
            for (int i : updates) {
              ContactSnapshot s = list.get(i);
              ps.setLong(1, s.version());
              ps.setString(2, s.fingerprint());
              ps.setString(3, payloads.get(i));
              ps.setLong(4, s.updatedAt().toEpochMilli());
              ps.setLong(5, s.contactKey());
              ps.setLong(6, s.version() - 1);
              ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int j = 0; j < updates.size(); j++) {
              saved[updates.get(j)] = counts[j] == 1;
            }
          }
        }
        if (!inserts.isEmpty()) {
          Set<Long> taken = new HashSet<>();
          List<Long> keys = inserts.stream().map(i -> list.get(i).contactKey()).toList();
          for (int from = 0; from < keys.size(); from += 500) {
            List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            KeyFilter filter = KeyFilter.of(chunk);
            try (PreparedStatement ps = c.prepareStatement("select contact_key from crmsync_snapshot where "
                + filter.where())) {
              filter.bind(ps);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  taken.add(rs.getLong(1)); // keys in the range not inserted here do no harm
                }
              }
            }
          }
          try (PreparedStatement ps = c.prepareStatement("insert into crmsync_snapshot (contact_key, version, fingerprint,"
              + " payload, updated_at) values (?,?,?,?,?)")) {
            for (int i : inserts) {
              ContactSnapshot s = list.get(i);
              if (taken.contains(s.contactKey())) {
                saved[i] = false;
                continue;
              }
              ps.setLong(1, s.contactKey());
              ps.setLong(2, 1L);
              ps.setString(3, s.fingerprint());
              ps.setString(4, payloads.get(i));
              ps.setLong(5, s.updatedAt().toEpochMilli());
              ps.addBatch();
              saved[i] = true;
            }
            ps.executeBatch();
          }
        }
        c.commit();
        return java.util.Arrays.asList(saved);
      } catch (java.sql.SQLException e) {
        c.rollback();
        if (SqlOps.DUPLICATE_KEY.equals(e.getSQLState())
            || (e.getNextException() != null && SqlOps.DUPLICATE_KEY.equals(e.getNextException().getSQLState()))) {
          return null; // another writer inserted one of them: one by one below
        }
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    });
    if (batched != null) {
      return batched;
    }
    List<Boolean> saved = new ArrayList<>(list.size());
    for (ContactSnapshot s : list) {
      saved.add(saveSnapshot(s));
    }
    return saved;
  }

  @Override
  public void deleteSnapshot(long contactKey) {
    sql.update("delete from crmsync_snapshot where contact_key = ?", contactKey);
  }

  @Override
  public void clearSnapshots() {
    sql.update("delete from crmsync_snapshot");
  }

  // --- cursors ---------------------------------------------------------------------------------

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
    sql.upsert("update crmsync_cursor set cursor_value = ?, updated_at = ? where name = ?", new Object[] {value, now, name},
        "insert into crmsync_cursor (name, cursor_value, updated_at) values (?,?,?)", new Object[] {name, value, now});
  }

  @Override
  public void deleteCursor(String name) {
    sql.update("delete from crmsync_cursor where name = ?", name);
  }

  // --- processed ids ---------------------------------------------------------------------------

  @Override
  public boolean markProcessed(String namespace, String id) {
    return sql.run(c -> SqlOps.insertIfAbsent(c, "insert into crmsync_processed (namespace, event_id, processed_at)"
        + " values (?,?,?)", namespace, id, System.currentTimeMillis()));
  }

  @Override
  public Optional<Instant> processedAt(String namespace, String id) {
    return sql.run(c -> {
      try (PreparedStatement ps = c.prepareStatement("select processed_at from crmsync_processed where namespace = ?"
          + " and event_id = ?")) {
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
      try (PreparedStatement ps = c.prepareStatement("select 1 from crmsync_processed where namespace = ? and event_id = ?")) {
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
    List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
    // The ids travel as one array parameter. An IN list would not do: with the namespace fixed, H2
    // walks the whole namespace and checks each row against every listed id.
    String query = postgres
        ? "select event_id from crmsync_processed where namespace = ? and event_id = any(?)"
        : "select p.event_id from table(x varchar = ?) t join crmsync_processed p on p.namespace = ? and p.event_id = t.x";
    for (int from = 0; from < all.size(); from += 500) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
      sql.run(c -> {
        try (PreparedStatement ps = c.prepareStatement(query)) {
          java.sql.Array array = c.createArrayOf("varchar", chunk.toArray());
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
    List<String> fresh = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
    if (fresh.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    boolean batched = sql.run(c -> {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("insert into crmsync_processed (namespace, event_id, processed_at)"
          + " values (?,?,?)")) {
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
            || (e.getNextException() != null && SqlOps.DUPLICATE_KEY.equals(e.getNextException().getSQLState()))) {
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

  // --- quarantine ------------------------------------------------------------------------------

  @Override
  public void quarantine(String kind, String id, String reason, Instant at) {
    quarantine(kind, id, reason, at, null);
  }

  @Override
  public void quarantine(String kind, String id, String reason, Instant at, String payload) {
    String r = reason.length() > 4000 ? reason.substring(0, 4000) : reason;
    sql.upsert("update crmsync_quarantine set reason = ?, at = ?, attempts = attempts + 1,"
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
          ResultSet rs = s.executeQuery("select kind, record_id, reason, at, attempts, payload from crmsync_quarantine"
              + " order by at, record_id")) {
        while (rs.next()) {
          list.add(new QuarantinedRecord(rs.getString(1), rs.getString(2), rs.getString(3),
              Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5), rs.getString(6)));
        }
      }
      return list;
    });
  }

  // --- query members ---------------------------------------------------------------------------

  @Override
  public Set<Long> queryMembers(long queryKey) {
    return sql.run(c -> {
      Set<Long> members = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement("select contact_key from crmsync_query_member where query_key = ?")) {
        ps.setLong(1, queryKey);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            members.add(rs.getLong(1));
          }
        }
      }
      return members;
    });
  }

  @Override
  public void updateQueryMembers(long queryKey, Set<Long> added, Set<Long> removed) {
    sql.run(c -> {
      try (PreparedStatement del = c.prepareStatement("delete from crmsync_query_member where query_key = ? and contact_key = ?");
          PreparedStatement ins = c.prepareStatement("insert into crmsync_query_member (query_key, contact_key)"
              + " select ?, ? where not exists (select 1 from crmsync_query_member where query_key = ? and contact_key = ?)")) {
        for (long k : removed) {
          del.setLong(1, queryKey);
          del.setLong(2, k);
          del.addBatch();
        }
        del.executeBatch();
        for (long k : added) {
          ins.setLong(1, queryKey);
          ins.setLong(2, k);
          ins.setLong(3, queryKey);
          ins.setLong(4, k);
          ins.addBatch();
        }
        ins.executeBatch();
      }
      return null;
    });
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
