package io.crmsync.sync.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract on PostgreSQL, each test in a fresh schema (see {@link Databases}). */
class JdbcStateStorePostgresTest extends StateStoreContract {

    private JdbcStateStore store;
    private JdbcStateStore other;
    private String url;

    @BeforeEach
    void open() {
        url = Databases.postgres();
        store = JdbcStateStore.create(url);
        other = JdbcStateStore.create(url);
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            other.close();
        }
    }

    @Override
    protected StateStore store() {
        return store;
    }

    @Override
    protected StateStore otherHandle() {
        return other;
    }

    @Override
    protected boolean leasesExpireByTime() {
        return false; // advisory locks end with their holder's connection
    }

    @Test
    void aKilledHoldersLeaseIsFreeAtOnceAndItsRenewalFails() throws Exception {
        Instant now = Instant.now();
        assertThat(store.tryLease("fullSync", "a", now, Duration.ofSeconds(30))).isTrue();
        assertThat(other.tryLease("fullSync", "b", now, Duration.ofSeconds(30))).isFalse();
        // What a kill -9 does to the holder: its session ends and the server drops its locks.
        try (Connection c = DriverManager.getConnection(Databases.postgresUrl());
                Statement s = c.createStatement()) {
            s.execute("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory'"
                    + " and ((classid::bigint << 32) | objid::bigint) = " + leaseKeyOf("fullSync"));
        }
        assertThat(other.tryLease("fullSync", "b", now.plusSeconds(1), Duration.ofSeconds(30)))
                .as("taken over at once")
                .isTrue();
        assertThat(store.tryLease("fullSync", "a", now.plusSeconds(2), Duration.ofSeconds(30)))
                .as("old holder's renewal")
                .isFalse();
    }

    @Test
    void aStoreClosedWithoutReleasingFreesItsLeases() {
        Instant now = Instant.now();
        assertThat(store.tryLease("poll", "a", now, Duration.ofSeconds(30))).isTrue();
        store.close();
        store = JdbcStateStore.create(url);
        assertThat(other.tryLease("poll", "b", now, Duration.ofSeconds(30))).isTrue();
    }

    private long leaseKeyOf(String job) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_schema()")) {
            rs.next();
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("crmsync.lease/" + rs.getString(1) + "/" + job).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, 8).getLong();
        }
    }
}
