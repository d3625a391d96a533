package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.reverse.TaskWebhookResult;
import io.crmsync.sync.state.Databases;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import io.crmsync.testkit.http.Fault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two engine instances (as two processes would) sharing one PostgreSQL state store. */
class TwoEnginesSharedStoreTest {

    private final Emulated env = new Emulated(300);
    private final String url = Databases.postgres();
    private final JdbcStateStore storeA = JdbcStateStore.create(url);
    private final JdbcStateStore storeB = JdbcStateStore.create(url);
    private static final String SECRET = "task-secret-0123456789";
    private final SyncEngine a =
            env.engine(b -> b.stateStore(storeA).instanceId("a").taskWebhook(TaskWebhookConfig.bearer(SECRET)));
    private final SyncEngine b =
            env.engine(b -> b.stateStore(storeB).instanceId("b").taskWebhook(TaskWebhookConfig.bearer(SECRET)));

    @AfterEach
    void stop() {
        a.close();
        b.close();
        storeA.close();
        storeB.close();
        env.close();
    }

    @Test
    void twoHundredDeliveriesEachSentToBothEnginesAtOnceCreateEachTaskOnce() throws Exception {
        Map<String, List<String>> auth = Map.of("Authorization", List.of("Bearer " + SECRET));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<TaskWebhookResult>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                // Half carry a delivery id; the other half are told apart by their body's hash.
                String body = "{" + (i % 2 == 0 ? "\"delivery_id\":\"pair-" + i + "\"," : "") + "\"profile_key\":\""
                        + (1 + i % 50) + "\",\"subject\":\"Follow-up " + i + "\",\"assignee\":\"jdoe\"}";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                CountDownLatch go = new CountDownLatch(1);
                answers.add(pool.submit(() -> {
                    go.await();
                    return a.handleTaskWebhook(bytes, auth);
                }));
                answers.add(pool.submit(() -> {
                    go.countDown();
                    return b.handleTaskWebhook(bytes, auth);
                }));
            }
            List<TaskWebhookResult> results = new ArrayList<>();
            for (Future<TaskWebhookResult> f : answers) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            long created = results.stream()
                    .filter(r -> r.outcome() == TaskWebhookResult.Outcome.CREATED)
                    .count();
            assertThat(created).isEqualTo(200);
            assertThat(results).allSatisfy(r -> assertThat(r.status()).isIn(200, 503));
        } finally {
            pool.shutdownNow();
        }
        List<Object> sourceIds =
                env.efficy.activities().stream().map(t -> t.get("F_SOURCE_ID")).toList();
        assertThat(sourceIds).hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void neverRunTheSameJobAtOnce() throws Exception {
        // Slow Efficy down so the first full sync is still running when the second one starts.
        env.efficy.faults().next(3, "/crm/json", Fault.delay(Duration.ofMillis(400)));
        CountDownLatch holding = new CountDownLatch(1);
        SyncListener started = new SyncListener() {
            @Override
            public void runStarted(Job job) {
                holding.countDown(); // called once the lease is taken
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (SyncEngine first =
                env.engine(x -> x.stateStore(storeA).instanceId("a-full").listener(started))) {
            Future<SyncReport> running =
                    pool.submit(() -> first.fullSync(FullSyncOptions.defaults().withPageSize(100)));
            assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();
            Exception refused = null;
            try {
                b.fullSync(FullSyncOptions.defaults());
            } catch (JobAlreadyRunningException e) {
                refused = e;
            }
            assertThat(refused)
                    .as("the second instance is refused while the first holds the lease")
                    .isNotNull();
            assertThat(running.get().seen()).isEqualTo(300);
        } finally {
            pool.shutdownNow();
        }
        // Once released, the other instance may run it, and finds everything unchanged.
        SyncReport again = b.fullSync(FullSyncOptions.defaults());
        assertThat(again.unchanged() + again.stillRejected()).isEqualTo(300);
    }

    @Test
    void neverLoseASnapshotUpdateWhenBothSyncTheSameContacts() throws Exception {
        List<Long> keys = new ArrayList<>();
        for (long k = 1; k <= 300; k++) {
            keys.add(k);
        }
        List<Long> reversed = new ArrayList<>(keys);
        Collections.reverse(reversed);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> fa = pool.submit(() -> {
                go.await();
                for (long k : keys) {
                    a.syncContact(k);
                }
                return null;
            });
            Future<?> fb = pool.submit(() -> {
                go.await();
                for (long k : reversed) {
                    if (k % 3 == 0) {
                        env.efficy.updateContact(k, Map.of("FIRSTNAME", "Changed" + k));
                    }
                    b.syncContact(k);
                }
                return null;
            });
            go.countDown();
            fa.get();
            fb.get();
        } finally {
            pool.shutdownNow();
        }
        // Every change reached APSIS, and the shared snapshots agree with Efficy: a further run by
        // either instance finds nothing to send.
        for (long i = 3; i <= 300; i += 3) {
            long k = i;
            if (env.apsis.profile(Emulated.KS, Long.toString(k)).isPresent()
                    && storeA.quarantined().stream().noneMatch(q -> q.id().equals(Long.toString(k)))) {
                assertThat(env.apsis
                                .profile(Emulated.KS, Long.toString(k))
                                .orElseThrow()
                                .attribute(Emulated.SECTION, "com.apsis1.attributes.firstname"))
                        .contains("Changed" + k);
            }
        }
        long writes = env.apsisWrites();
        SyncReport check = a.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));
        assertThat(check.unchanged()).isEqualTo(300 - storeA.quarantined().size());
        assertThat(check.stillRejected()).isEqualTo(storeA.quarantined().size());
        assertThat(env.apsisWrites() - writes).isZero();
    }
}
