package io.crmsync.sync.state.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The store's tables, from the DDL shipped as resources ({@code schema-h2.sql},
 * {@code schema-postgresql.sql} beside this class): applied by the store, or only checked when
 * the host migrates the schema itself.
 */
final class StateSchema {

    private StateSchema() {}

    /** The resource name of the DDL for the database behind {@code c}. */
    static String resourceFor(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return "schema-postgresql.sql";
        }
        if (product.contains("h2")) {
            return "schema-h2.sql";
        }
        throw new SQLException("the state store supports H2 and PostgreSQL, not " + product);
    }

    /** Creates or upgrades the tables; refuses a schema newer than this code's. */
    static void apply(Connection c, int expected) throws SQLException {
        int found = version(c);
        if (found > expected) {
            throw new SQLException("the state store's schema is version " + found + ", newer than this crmsync's "
                    + expected + "; upgrade crmsync");
        }
        try (Statement s = c.createStatement()) {
            for (String sql : statements(resourceFor(c))) {
                s.execute(sql);
            }
        }
    }

    /** Checks that a schema migrated by the host is the version this code reads and writes. */
    static void check(Connection c, int expected) throws SQLException {
        int found = version(c);
        if (found != expected) {
            throw new SQLException("the state store's schema is version " + found + " but this crmsync needs "
                    + expected + "; apply " + resourceFor(c) + " from the sync-core jar (io/crmsync/sync/state/jdbc/)");
        }
    }

    private static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select max(version) from crmsync_schema")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (SQLException e) {
            return 0; // no crmsync_schema table yet
        }
    }

    /** The statements of a DDL resource: comments dropped, split at semicolons. */
    static List<String> statements(String resource) {
        try (InputStream in = StateSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the sync-core jar lacks " + resource);
            }
            StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.trim().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            List<String> list = new ArrayList<>();
            for (String statement : sql.toString().split(";")) {
                if (!statement.isBlank()) {
                    list.add(statement.trim());
                }
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
