package io.crmsync.cli.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The PostgreSQL of {@code CRMSYNC_PG_URL} (CI's), emptied of the cluster's tables and tenant schemas. */
final class ClusterDatabase {

  private ClusterDatabase() {}

  /** The database's URL, emptied; skips the test without one, fails it in CI. */
  static String fresh() throws Exception {
    String url = System.getenv("CRMSYNC_PG_URL");
    if (url == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but CRMSYNC_PG_URL is not set: .ci/run must start PostgreSQL");
      }
      assumeTrue(false, "CRMSYNC_PG_URL not set; the cluster tests run in CI");
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("drop table if exists scheduled_tasks, crmsync_tenant, crmsync_cluster_rate, crmsync_cluster_run");
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("select schema_name from information_schema.schemata"
          + " where schema_name like 'crmsync_t_%'")) {
        while (rs.next()) {
          schemas.add(rs.getString(1));
        }
      }
      for (String s : schemas) {
        st.execute("drop schema " + s + " cascade");
      }
    }
    return url;
  }
}
