package io.crmsync.sync.state.jdbc;

import java.time.Duration;
import java.time.Instant;

/**
 * How a {@link JdbcStateStore} hands out leases, chosen by the database it opens (see
 * {@link JdbcStateStore}). Package-private.
 */
interface Leases extends AutoCloseable {

    boolean tryLease(String job, String owner, Instant now, Duration ttl);

    void releaseLease(String job, String owner);

    /** Gives back whatever the strategy holds (connections, registrations). */
    @Override
    void close();
}
