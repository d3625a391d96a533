package io.crmsync.sync.state.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.crmsync.sync.StateStore;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.QuarantinedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
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
import java.util.LinkedHashMap;
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
 * <p>Snapshots are saved by compare-and-set on their version and processed ids and leases rely on
 * primary keys, so several instances sharing one PostgreSQL store never lose an update and never
 * run one job at once. The SQL is plain SQL that both databases accept; no vendor upsert is used.
 * Times are stored as epoch milliseconds. A pool of 4 connections is kept.
 *
 * <pre>{@code
 * StateStore store = JdbcStateStore.create("jdbc:h2:file:./crmsync-state");
 * StateStore shared = JdbcStateStore.create("jdbc:postgresql://127.0.0.1:5432/crmsync", "crmsync", password);
 * }</pre>
 */
public final class JdbcStateStore implements StateStore, AutoCloseable {

  /** The schema version this code reads and writes. */
  public static final int SCHEMA_VERSION = 2;
  private static final String DUPLICATE_KEY = "23505";

  private final ConnectionPool pool;
  private final ObjectMapper mapper = JsonMapper.builder().build();

  private JdbcStateStore(ConnectionPool.Opener opener) {
    this.pool = new ConnectionPool(opener, 4);
    migrate();
  }

  /** A store at a JDBC URL (H2 or PostgreSQL) without credentials. */
  public static JdbcStateStore create(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    return new JdbcStateStore(() -> DriverManager.getConnection(jdbcUrl));
  }

  /** A store at a JDBC URL with a user and password. */
  public static JdbcStateStore create(String jdbcUrl, String user, String password) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    return new JdbcStateStore(() -> DriverManager.getConnection(jdbcUrl, user, password));
  }

  /** A store on a data source (the host application's pool). */
  public static JdbcStateStore create(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return new JdbcStateStore(dataSource::getConnection);
  }

  private void migrate() {
    run(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("create table if not exists crmsync_schema (version int not null)");
        int found = 0;
        try (ResultSet rs = s.executeQuery("select max(version) from crmsync_schema")) {
          if (rs.next()) {
            found = rs.getInt(1);
          }
        }
        if (found > SCHEMA_VERSION) {
          throw new IllegalStateException("the state store's schema is version " + found
              + ", newer than this crmsync's " + SCHEMA_VERSION + "; upgrade crmsync");
        }
        s.execute("create table if not exists crmsync_snapshot (contact_key bigint primary key,"
            + " version bigint not null, fingerprint varchar(100) not null, payload varchar(1000000) not null,"
            + " updated_at bigint not null)");
        s.execute("create table if not exists crmsync_cursor (name varchar(200) primary key,"
            + " cursor_value varchar(4000) not null, updated_at bigint not null)");
        s.execute("create table if not exists crmsync_processed (namespace varchar(100) not null,"
            + " event_id varchar(400) not null, processed_at bigint not null, primary key (namespace, event_id))");
        s.execute("create table if not exists crmsync_quarantine (kind varchar(100) not null,"
            + " record_id varchar(400) not null, reason varchar(4000) not null, at bigint not null,"
            + " attempts int not null, primary key (kind, record_id))");
        // Version 2: the payload a quarantined record needs to be retried (reverse-sync events).
        s.execute("alter table crmsync_quarantine add column if not exists payload varchar(1000000)");
        s.execute("create table if not exists crmsync_query_member (query_key bigint not null,"
            + " contact_key bigint not null, primary key (query_key, contact_key))");
        s.execute("create table if not exists crmsync_lease (job varchar(200) primary key,"
            + " owner varchar(200) not null, expires_at bigint not null)");
        if (found == 0) {
          s.execute("insert into crmsync_schema (version) values (" + SCHEMA_VERSION + ")");
        } else if (found < SCHEMA_VERSION) {
          s.execute("update crmsync_schema set version = " + SCHEMA_VERSION);
        }
      }
      return null;
    });
  }

  // --- snapshots -------------------------------------------------------------------------------

  private record Payload(Map<String, Object> attributes, Map<String, Boolean> consents, boolean matched,
      boolean profileCreated) {}

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
      String marks = String.join(",", chunk.stream().map(k -> "?").toList());
      run(c -> {
        try (PreparedStatement ps = c.prepareStatement("select contact_key, version, fingerprint, payload,"
            + " updated_at from crmsync_snapshot where contact_key in (" + marks + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setLong(i + 1, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Payload p = read(rs.getString(4));
              found.put(rs.getLong(1), new ContactSnapshot(rs.getLong(1), rs.getLong(2), rs.getString(3),
                  p.attributes() == null ? Map.of() : p.attributes(), p.consents() == null ? Map.of() : p.consents(),
                  p.matched(), p.profileCreated(), Instant.ofEpochMilli(rs.getLong(5))));
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
    String payload = write(new Payload(new LinkedHashMap<>(s.attributes()), s.consents(), s.matched(), s.profileCreated()));
    return run(c -> {
      if (s.version() == 1) {
        return insertIfAbsent(c, "insert into crmsync_snapshot (contact_key, version, fingerprint, payload, updated_at)"
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

  @Override
  public void deleteSnapshot(long contactKey) {
    update("delete from crmsync_snapshot where contact_key = ?", contactKey);
  }

  @Override
  public void clearSnapshots() {
    update("delete from crmsync_snapshot");
  }

  // --- cursors ---------------------------------------------------------------------------------

  @Override
  public Optional<String> cursor(String name) {
    return run(c -> {
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
    upsert("update crmsync_cursor set cursor_value = ?, updated_at = ? where name = ?", new Object[] {value, now, name},
        "insert into crmsync_cursor (name, cursor_value, updated_at) values (?,?,?)", new Object[] {name, value, now});
  }

  @Override
  public void deleteCursor(String name) {
    update("delete from crmsync_cursor where name = ?", name);
  }

  // --- processed ids ---------------------------------------------------------------------------

  @Override
  public boolean markProcessed(String namespace, String id) {
    return run(c -> insertIfAbsent(c, "insert into crmsync_processed (namespace, event_id, processed_at)"
        + " values (?,?,?)", namespace, id, System.currentTimeMillis()));
  }

  @Override
  public boolean isProcessed(String namespace, String id) {
    return run(c -> {
      try (PreparedStatement ps = c.prepareStatement("select 1 from crmsync_processed where namespace = ? and event_id = ?")) {
        ps.setString(1, namespace);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  // --- quarantine ------------------------------------------------------------------------------

  @Override
  public void quarantine(String kind, String id, String reason, Instant at) {
    quarantine(kind, id, reason, at, null);
  }

  @Override
  public void quarantine(String kind, String id, String reason, Instant at, String payload) {
    String r = reason.length() > 4000 ? reason.substring(0, 4000) : reason;
    upsert("update crmsync_quarantine set reason = ?, at = ?, attempts = attempts + 1,"
            + " payload = coalesce(?, payload) where kind = ? and record_id = ?",
        new Object[] {r, at.toEpochMilli(), payload, kind, id},
        "insert into crmsync_quarantine (kind, record_id, reason, at, attempts, payload) values (?,?,?,?,1,?)",
        new Object[] {kind, id, r, at.toEpochMilli(), payload});
  }

  @Override
  public void release(String kind, String id) {
    update("delete from crmsync_quarantine where kind = ? and record_id = ?", kind, id);
  }

  @Override
  public List<QuarantinedRecord> quarantined() {
    return run(c -> {
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
    return run(c -> {
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
    run(c -> {
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
    long until = now.plus(ttl).toEpochMilli();
    return run(c -> {
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
      return insertIfAbsent(c, "insert into crmsync_lease (job, owner, expires_at) values (?,?,?)", job, owner, until);
    });
  }

  @Override
  public void releaseLease(String job, String owner) {
    update("delete from crmsync_lease where job = ? and owner = ?", job, owner);
  }

  // --- plumbing --------------------------------------------------------------------------------

  /** Inserts a row; false when its primary key exists (the database, not a read, decides). */
  private static boolean insertIfAbsent(Connection c, String insert, Object... args) throws SQLException {
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

  private void upsert(String update, Object[] updateArgs, String insert, Object[] insertArgs) {
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

  private void update(String sql, Object... args) {
    run(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, args);
        return ps.executeUpdate();
      }
    });
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        ps.setNull(i + 1, java.sql.Types.VARCHAR);
      } else {
        ps.setObject(i + 1, args[i]);
      }
    }
  }

  private <T> T run(ConnectionPool.SqlWork<T> work) {
    try {
      return pool.with(work);
    } catch (SQLException e) {
      throw new StateStoreException("state store operation failed: " + e.getMessage(), e);
    }
  }

  private String write(Payload p) {
    try {
      return mapper.writeValueAsString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Payload read(String json) {
    try {
      return mapper.readValue(json, new TypeReference<Payload>() {});
    } catch (IOException e) {
      throw new StateStoreException("a stored snapshot is unreadable", e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "JdbcStateStore{schema=" + SCHEMA_VERSION + "}";
  }
}
