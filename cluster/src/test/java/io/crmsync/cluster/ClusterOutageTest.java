package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookKind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's webhooks while its database does not answer: 503 at once, never a 404, then queued again. */
class ClusterOutageTest {

    private static final String HOOK = "acme-hook-secret-0123456789";
    private static final byte[] BODY = ("{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,"
                    + "\"key\":7,\"operation\":\"Update\",\"user\":\"APIUSER\",\"date\":\"2026-11-29T08:00:00Z\","
                    + "\"fields\":{}}]}")
            .getBytes(StandardCharsets.UTF_8);

    private DataSource db;
    private FlakyRegistry registry;
    private ClusterNode node;

    /** The JDBC registry, which fails as a database that does not answer while {@code down} is set. */
    private static final class FlakyRegistry implements TenantRegistry {
        final TenantRegistry real;
        final AtomicBoolean down = new AtomicBoolean();
        final Map<String, AtomicInteger> finds = new ConcurrentHashMap<>();
        final Map<String, RuntimeException> broken = new ConcurrentHashMap<>();
        final CountDownLatch hang = new CountDownLatch(1);
        final AtomicBoolean hanging = new AtomicBoolean();

        FlakyRegistry(TenantRegistry real) {
            this.real = real;
        }

        int finds(String id) {
            return finds.getOrDefault(id, new AtomicInteger()).get();
        }

        @Override
        public Optional<Tenant> find(String id) {
            finds.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (down.get()) {
                throw new ClusterException("could not read tenants: connection refused", new SQLException("refused"));
            }
            if (hanging.get()) {
                try {
                    hang.await(); // as a pool waiting for a connection to a database that is gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new ClusterException("could not read tenants: no connection", new SQLException("timeout"));
            }
            if (broken.containsKey(id)) {
                throw broken.get(id);
            }
            return real.find(id);
        }

        @Override
        public List<Tenant> list() {
            return real.list();
        }

        @Override
        public Tenant add(Tenant tenant) {
            return real.add(tenant);
        }

        @Override
        public Tenant update(Tenant tenant) {
            return real.update(tenant);
        }

        @Override
        public boolean remove(String id) {
            return real.remove(id);
        }
    }

    @BeforeEach
    void start() throws Exception {
        db = ClusterDatabase.fresh();
        ClusterSchema.apply(db);
        registry = new FlakyRegistry(new JdbcTenantRegistry(db));
        node = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("outage")
                .threads(1)
                .registry(registry)
                .secrets(SecretResolver.of(Map.of("TENANT_ACME_HOOK", HOOK, "TENANT_BETA_HOOK", HOOK)))
                .build();
        for (String id : List.of("acme", "beta")) {
            Properties p = new Properties();
            p.setProperty("webhooks.efficySecret", "${TENANT_" + id.toUpperCase() + "_HOOK}");
            registry.add(Tenant.of(id, p));
        }
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private WebhookAnswer deliver(String tenant) {
        return node.webhookGate(tenant).handle(WebhookKind.EFFICY, "POST", HOOK, Map.of(), BODY);
    }

    @Test
    void whileTheDatabaseDoesNotAnswerEveryCallGets503AtOnceAndIsQueuedOnceItAnswers() throws Exception {
        registry.down.set(true);
        for (int i = 0; i < 20; i++) {
            WebhookAnswer answer = deliver(i % 2 == 0 ? "acme" : "beta");
            assertThat(answer.status()).as("call %d", i).isEqualTo(503);
            assertThat(answer.retryAfterSeconds()).isPresent();
        }
        assertThat(registry.finds("acme") + registry.finds("beta"))
                .as("after the first failure, calls do not wait on the database")
                .isEqualTo(1);
        assertThat(queued()).isZero();
        assertThat(node.healthy())
                .as("health is the last check's, not a wait on the database")
                .isFalse();
        assertThat(registry.finds("acme") + registry.finds("beta")).isEqualTo(1);

        registry.down.set(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        WebhookAnswer answer = deliver("acme");
        while (answer.status() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(DatabaseOutage.PROBE_EVERY.toMillis() / 4);
            answer = deliver("acme");
        }
        assertThat(answer.status()).isEqualTo(200);
        assertThat(node.healthy()).isTrue();
        assertThat(deliver("acme").status()).isEqualTo(200);
        assertThat(queued()).as("one task for the delivery sent twice").isEqualTo(1);
    }

    @Test
    void aLookupThatHangsIsAnOutageAfterTheLookupWaitSoTheCallerIsAnsweredBeforeItsConnectionIdlesOut() {
        registry.hanging.set(true);
        try {
            WebhookAnswer answer = deliver("acme");
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.retryAfterSeconds()).isPresent();
            assertThat(node.healthy()).isFalse();
            assertThat(deliver("beta").status()).as("at once, without a lookup").isEqualTo(503);
            assertThat(registry.finds("beta")).isZero();
        } finally {
            registry.hang.countDown();
        }
    }

    @Test
    void aTenantRowThatIsNoLongerValidGets503ForItselfAndNoOtherTenantWaits() {
        registry.broken.put("acme", new ClusterException("tenant acme: efficy.url holds a reference"));

        assertThat(deliver("acme").status()).isEqualTo(503);
        assertThat(deliver("beta").status()).as("the database is not down").isEqualTo(200);
        assertThat(deliver("acme").status()).isEqualTo(503);
        assertThat(registry.finds("acme")).isEqualTo(2);
    }

    private long queued() throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select count(*) from scheduled_tasks where task_instance like 'acme/efficy/%'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
