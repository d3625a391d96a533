package io.crmsync.sync.state;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Where the JDBC store tests run. H2 always; PostgreSQL when {@code CRMSYNC_PG_URL} is set (CI's
 * {@code .ci/run} starts one and sets it). Under {@code CI=true} a missing or unreachable
 * PostgreSQL fails the tests instead of skipping them.
 */
public final class Databases {

  private Databases() {}

  public static String h2() {
    return "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  /** A fresh PostgreSQL schema's JDBC URL, or the test is skipped (never under CI). */
  public static String postgres() {
    String url = System.getenv("CRMSYNC_PG_URL");
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    if (url == null || url.isBlank()) {
      if (ci) {
        throw new AssertionError("CI=true but CRMSYNC_PG_URL is not set: .ci/run must start PostgreSQL");
      }
      assumeTrue(false, "CRMSYNC_PG_URL not set; PostgreSQL tests run in CI");
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("create schema " + schema);
    } catch (SQLException e) {
      if (ci) {
        throw new AssertionError("PostgreSQL at CRMSYNC_PG_URL is unreachable: " + e.getMessage(), e);
      }
      assumeTrue(false, "PostgreSQL unreachable: " + e.getMessage());
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
