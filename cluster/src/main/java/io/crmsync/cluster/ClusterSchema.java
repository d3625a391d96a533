package io.crmsync.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The cluster's tables ({@code cluster-postgresql.sql}: db-scheduler's {@code scheduled_tasks},
 * the tenants, the shared APSIS budget and the run journal), applied by the first node to start.
 * Package-private.
 */
final class ClusterSchema {

    private ClusterSchema() {}

    /** Applies {@code cluster-postgresql.sql} (idempotent). */
    static void apply(DataSource dataSource) {
        String ddl;
        try (InputStream in = ClusterSchema.class.getResourceAsStream("cluster-postgresql.sql")) {
            ddl = new String(
                    Objects.requireNonNull(in, "cluster-postgresql.sql").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ClusterException("cluster-postgresql.sql cannot be read", e);
        }
        StringBuilder clean = new StringBuilder();
        for (String line : ddl.split("\n")) {
            if (!line.trim().startsWith("--")) {
                clean.append(line).append('\n');
            }
        }
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            // One node at a time, so that two nodes starting together do not race on "if not exists".
            st.execute("select pg_advisory_lock(hashtext('crmsync.cluster.migrate'))");
            try {
                for (String sql : clean.toString().split(";")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
            } finally {
                st.execute("select pg_advisory_unlock(hashtext('crmsync.cluster.migrate'))");
            }
        } catch (SQLException e) {
            throw new ClusterException("the cluster tables cannot be made: " + e.getMessage(), e);
        }
    }
}
