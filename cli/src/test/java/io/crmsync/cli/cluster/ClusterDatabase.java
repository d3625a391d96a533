package io.crmsync.cli.cluster;

import io.crmsync.sync.state.Databases;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests' PostgreSQL ({@link Databases#postgresUrl()}: {@code CRMSYNC_PG_URL}, else an embedded
 * one), emptied of the cluster's tables and tenant schemas.
 */
public final class ClusterDatabase {

    private ClusterDatabase() {}

    /** The database's URL, emptied. */
    public static String fresh() throws Exception {
        String url = Databases.postgresUrl();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute(
                    "drop table if exists scheduled_tasks, crmsync_tenant, crmsync_cluster_rate, crmsync_cluster_run");
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "select schema_name from information_schema.schemata" + " where schema_name like 'crmsync_t_%'")) {
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

    /** A gate to the database, shut or open, and the database's URL through it. */
    static TcpGate gate(String url, boolean open) throws IOException {
        Matcher m = ADDRESS.matcher(url);
        if (!m.find()) {
            throw new IllegalArgumentException("no host and port in the test database's URL");
        }
        return new TcpGate(m.group(1), Integer.parseInt(m.group(2)), open);
    }

    /** The URL with its host and port replaced by the gate's. */
    static String through(String url, TcpGate gate) {
        return ADDRESS.matcher(url).replaceFirst("//127.0.0.1:" + gate.port() + "/");
    }

    private static final Pattern ADDRESS = Pattern.compile("//([^/:]+):(\\d+)/");
}
