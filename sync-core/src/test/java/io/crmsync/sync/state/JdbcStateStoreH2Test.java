package io.crmsync.sync.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JdbcStateStoreH2Test extends StateStoreContract {

    private final String url = Databases.h2();
    private final JdbcStateStore store = JdbcStateStore.create(url);
    private final JdbcStateStore other = JdbcStateStore.create(url);

    @AfterEach
    void close() {
        store.close();
        other.close();
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
        return false; // embedded H2: leases live in this JVM and die with it
    }

    @Test
    void aLeaseOnAnEmbeddedFileDoesNotOutliveItsHolder() throws Exception {
        Path dir = Files.createTempDirectory("crmsync-h2");
        String fileUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        Instant now = Instant.now();
        JdbcStateStore first = JdbcStateStore.create(fileUrl);
        assertThat(first.tryLease("fullSync", "a", now, Duration.ofSeconds(30))).isTrue();
        try (JdbcStateStore sameJvm = JdbcStateStore.create(fileUrl)) {
            assertThat(sameJvm.tryLease("fullSync", "b", now, Duration.ofSeconds(30)))
                    .isFalse();
        }
        first.close(); // as the process's end would: nothing of the lease is left in the file
        try (JdbcStateStore restarted = JdbcStateStore.create(fileUrl)) {
            assertThat(restarted.tryLease("fullSync", "b", now, Duration.ofSeconds(30)))
                    .isTrue();
        }
    }

    @Test
    void aStoreOnAnH2DataSourceUsesLeasesThatRunOut() {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(Databases.h2());
        Instant now = Instant.now();
        try (JdbcStateStore a = JdbcStateStore.create(h2);
                JdbcStateStore b = JdbcStateStore.create(h2)) {
            assertThat(a.tryLease("poll", "a", now, Duration.ofSeconds(30))).isTrue();
            assertThat(b.tryLease("poll", "b", now.plusSeconds(29), Duration.ofSeconds(30)))
                    .isFalse();
            assertThat(b.tryLease("poll", "b", now.plusSeconds(31), Duration.ofSeconds(30)))
                    .isTrue();
        }
    }

    @Test
    void theDatabaseFileHoldsNoAttributeValueInClear() throws Exception {
        Path dir = Files.createTempDirectory("crmsync-h2");
        String fileUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        try (JdbcStateStore s = JdbcStateStore.create(fileUrl)) {
            for (long k = 1; k <= 50; k++) {
                s.saveSnapshot(new ContactSnapshot(
                        k,
                        1,
                        "f",
                        Map.of(
                                "com.apsis1.attributes.email",
                                "person" + k + "@example.com",
                                "com.apsis1.attributes.firstname",
                                "Zoë" + k),
                        Map.of(),
                        true,
                        true,
                        Instant.now()));
            }
        }
        byte[] file = Files.readAllBytes(dir.resolve("state.mv.db"));
        String text = new String(file, StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("@example.com").doesNotContain("person1");
    }

    @Test
    void aFileStoreKeepsItsStateAcrossRestarts() throws Exception {
        Path dir = Files.createTempDirectory("crmsync-h2");
        String fileUrl = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        try (JdbcStateStore first = JdbcStateStore.create(fileUrl)) {
            first.saveSnapshot(snapshot(5, 1, "kept"));
            first.saveCursor("fullSync", "500");
        }
        try (JdbcStateStore second = JdbcStateStore.create(fileUrl)) {
            assertThat(second.snapshot(5).orElseThrow().fingerprint()).isEqualTo("kept");
            assertThat(second.cursor("fullSync")).contains("500");
        }
    }

    @Test
    void aHostMigratedSchemaFromTheShippedDdlIsCheckedNotApplied() throws Exception {
        String fresh = Databases.h2();
        assertThatThrownBy(
                        () -> JdbcStateStore.builder().url(fresh).migrate(false).build())
                .hasMessageContaining("schema-h2.sql");
        String ddl;
        try (var in = JdbcStateStore.class.getResourceAsStream("schema-h2.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (var c = DriverManager.getConnection(fresh);
                Statement s = c.createStatement()) {
            s.execute(ddl); // what Flyway or Liquibase would do with the shipped file
        }
        try (JdbcStateStore hosted =
                JdbcStateStore.builder().url(fresh).migrate(false).build()) {
            assertThat(hosted.saveSnapshot(snapshot(3, 1, "hosted"))).isTrue();
        }
    }

    @Test
    void aStoreOnTheHostsDataSourceBorrowsAConnectionPerOperationAndKeepsNone() throws Exception {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(Databases.h2());
        AtomicInteger open = new AtomicInteger();
        DataSource counting = (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(h2, args);
                    if (method.getName().equals("getConnection")) {
                        Connection real = (Connection) result;
                        open.incrementAndGet();
                        return Proxy.newProxyInstance(
                                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                                    if (m.getName().equals("close")) {
                                        open.decrementAndGet();
                                    }
                                    return m.invoke(real, a);
                                });
                    }
                    return result;
                });

        try (JdbcStateStore onHost = JdbcStateStore.create(counting)) {
            onHost.saveCursor("poll", "x");
            assertThat(onHost.cursor("poll")).contains("x");
            assertThat(open.get()).as("connections held between operations").isZero();
        }
    }

    @Test
    void aNewerSchemaIsRefusedRatherThanMisread() throws Exception {
        try (var c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("insert into crmsync_schema (version) values (99)");
        }
        assertThatThrownBy(() -> JdbcStateStore.create(url)).hasMessageContaining("version 99");
    }
}
