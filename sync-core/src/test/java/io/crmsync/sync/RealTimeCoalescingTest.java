package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.testkit.apsis.Definitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real-time sync under concurrent webhook calls: their Efficy reads are coalesced into batches. */
class RealTimeCoalescingTest {

    private final Emulated env = new Emulated(300);

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void concurrentWebhookCallsShareBatchedEfficyReadsAndEachContactIsWritten() throws Exception {
        try (SyncEngine engine = env.engine(b -> {})) {
            engine.fullSync(FullSyncOptions.defaults());
            List<Long> keys = new ArrayList<>();
            for (long key = 1; keys.size() < 40; key++) {
                if (env.apsis.profile(Emulated.KS, Long.toString(key)).isPresent()) {
                    keys.add(key);
                }
            }
            for (long key : keys) {
                env.efficy.updateContact(key, Map.of("FIRSTNAME", "Concurrent" + key));
            }
            long before = env.efficy.journal().total();
            ExecutorService callers = Executors.newFixedThreadPool(keys.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SyncReport>> calls = new ArrayList<>();
            for (long key : keys) {
                calls.add(callers.submit(() -> {
                    go.await();
                    return engine.handleEfficyWebhook(
                            "{\"records\":[{\"table\":11000,\"key\":" + key + ",\"operation\":\"Update\"}]}");
                }));
            }
            go.countDown();
            for (Future<SyncReport> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS).updated()).isEqualTo(1);
            }
            callers.shutdown();
            for (long key : keys) {
                assertThat(env.apsis
                                .profile(Emulated.KS, Long.toString(key))
                                .orElseThrow()
                                .attribute(Emulated.SECTION, Definitions.FIRSTNAME))
                        .contains("Concurrent" + key);
            }
            assertThat(env.efficy.journal().total() - before)
                    .as("Efficy requests for %d concurrent calls", keys.size())
                    .isLessThan(keys.size() / 2);
        }
    }

    @Test
    void aLoneWebhookCallMakesOneEfficyRead() {
        try (SyncEngine engine = env.engine(b -> {})) {
            engine.fullSync(FullSyncOptions.defaults());
            long key = 1;
            while (env.apsis.profile(Emulated.KS, Long.toString(key)).isEmpty()) {
                key++;
            }
            env.efficy.updateContact(key, Map.of("FIRSTNAME", "Alone"));
            long before = env.efficy.journal().total();
            SyncReport report = engine.handleEfficyWebhook(
                    "{\"records\":[{\"table\":11000,\"key\":" + key + ",\"operation\":\"Update\"}]}");
            assertThat(report.updated()).isEqualTo(1);
            assertThat(env.efficy.journal().total() - before).isEqualTo(1);
        }
    }
}
