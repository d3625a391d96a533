package io.crmsync.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The PostgreSQL of {@code CRMSYNC_PG_URL} (CI's), emptied of cluster tables and tenant schemas. */
final class ClusterDatabase {

  private ClusterDatabase() {}

  static DataSource fresh() throws Exception {
    String url = System.getenv("CRMSYNC_PG_URL");
    if (url == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true but CRMSYNC_PG_URL is not set: .ci/run must start PostgreSQL");
      }
      assumeTrue(false, "CRMSYNC_PG_URL not set; cluster tests run in CI");
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("drop table if exists scheduled_tasks, crmsync_tenant, crmsync_cluster_rate, crmsync_cluster_run");
      try (var rs = c.createStatement().executeQuery(
          "select schema_name from information_schema.schemata where schema_name like 'crmsync_t_%'")) {
        while (rs.next()) {
          c.createStatement().execute("drop schema " + rs.getString(1) + " cascade");
        }
      }
    }
    return ds;
  }
}
