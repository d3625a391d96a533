package io.crmsync.cluster;

import io.crmsync.sync.state.Databases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The tests' PostgreSQL ({@link Databases#postgresUrl()}: {@code CRMSYNC_PG_URL}, else an embedded
 * one), emptied of cluster tables and tenant schemas.
 */
final class ClusterDatabase {

    private ClusterDatabase() {}

    static DataSource fresh() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(Databases.postgresUrl());
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute(
                    "drop table if exists scheduled_tasks, crmsync_tenant, crmsync_cluster_rate, crmsync_cluster_run");
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "select schema_name from information_schema.schemata where schema_name like 'crmsync_t_%'")) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            for (String s : schemas) {
                st.execute("drop schema " + s + " cascade");
            }
        }
        return ds;
    }
}
