package io.crmsync.examples.bench;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Real-time sync latency: rounds of 50 concurrent Efficy webhook calls, each for one contact
 * changed in Efficy just before, measured from the webhook call until the engine has written the
 * change to APSIS and committed it (when {@code handleEfficyWebhook} returns). Prints p50, p90,
 * p99 and the maximum. Emulators in this JVM on loopback, APSIS's documented limits kept by both
 * the client and the emulator, an H2 state store. Not a test: it prints figures
 * (docs/PERFORMANCE.md).
 *
 * <pre>
 * java -cp examples/target/crmsync-examples.jar io.crmsync.examples.bench.RealTimeLatencyBenchmark [--rounds 20] [--concurrent 50]
 * </pre>
 *
 * <p>Rounds are one and a half seconds apart, so that each round's burst (about two APSIS
 * requests per change) fits in APSIS's 100 requests a second.
 */
public final class RealTimeLatencyBenchmark {

    private static final LongAdder EFFICY_REQUESTS = new LongAdder();
    private static final LongAdder EFFICY_NANOS = new LongAdder();
    private static final LongAdder APSIS_REQUESTS = new LongAdder();
    private static final LongAdder APSIS_NANOS = new LongAdder();

    private RealTimeLatencyBenchmark() {}

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int rounds = 20;
        int concurrent = 50;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--concurrent" -> concurrent = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int contacts = 2_000;
        Path state = Files.createTempDirectory("crmsync-bench");
        try (EfficyEmulator efficyEmulator = EfficyEmulator.start().seedContacts(contacts, 7);
                ApsisEmulator apsisEmulator =
                        ApsisEmulator.builder().limits(ApsisLimits.documented()).start();
                JdbcStateStore store = JdbcStateStore.create("jdbc:h2:file:" + state.resolve("state"))) {
            EfficyClient efficy = EfficyClient.builder()
                    .baseUri(efficyEmulator.baseUri().resolve("/crm"))
                    .customer("demo")
                    .apiKey(EfficyEmulator.DEFAULT_API_KEY)
                    .listener(new EfficyListener() {
                        @Override
                        public void requestStart(String operation, String requestId, int attempt) {
                            EFFICY_REQUESTS.increment();
                        }

                        @Override
                        public void requestEnd(
                                String operation, String requestId, int attempt, int status, Duration elapsed) {
                            EFFICY_NANOS.add(elapsed.toNanos());
                        }
                    })
                    .build();
            ApsisClient apsis = ApsisClient.builder()
                    .baseUri(apsisEmulator.baseUri())
                    .clientId(ApsisEmulator.DEFAULT_CLIENT_ID)
                    .clientSecret(ApsisEmulator.DEFAULT_CLIENT_SECRET)
                    .listener(new ApsisListener() {
                        @Override
                        public void requestEnd(
                                String route, String requestId, int attempt, int status, Duration elapsed) {
                            APSIS_REQUESTS.increment();
                            APSIS_NANOS.add(elapsed.toNanos());
                        }
                    })
                    .build();
            try (SyncEngine engine = SyncEngine.builder()
                    .efficy(efficy)
                    .apsis(apsis)
                    .section("com.apsis1.sections.default")
                    .mapping(MappingProvider.of(List.of(
                            FieldMapping.text("EMAIL1", "com.apsis1.attributes.email"),
                            FieldMapping.text("FIRSTNAME", "com.apsis1.attributes.firstname"),
                            FieldMapping.text("NAME", "com.apsis1.attributes.lastname"))))
                    .consentPolicy(ConsentPolicy.of(ConsentMapping.checkbox(
                            "F_NEWSLETTER", "usercreated.topics.newsletter-ab12cd34ef", Channels.EMAIL)))
                    .stateStore(store)
                    .build()) {
                SyncReport first = engine.fullSync(FullSyncOptions.defaults());
                System.out.printf("set-up: %s%n", first);
                Set<String> refused = new HashSet<>();
                store.quarantined().forEach(q -> refused.add(q.id()));
                List<Long> keys = new ArrayList<>();
                for (long key = 1; key <= contacts && keys.size() < (rounds + 2) * concurrent; key++) {
                    if (store.snapshot(key).isPresent() && !refused.contains(Long.toString(key))) {
                        keys.add(key); // synced and not refused: its change is an update of an existing profile
                    }
                }
                if (keys.size() < (rounds + 2) * concurrent) {
                    throw new IllegalArgumentException("too many rounds for " + contacts + " contacts");
                }
                ExecutorService callers = Executors.newFixedThreadPool(concurrent);
                List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger failures = new AtomicInteger();
                int next = 0;
                for (int round = -2; round < rounds; round++) { // two warm-up rounds, not counted
                    List<Long> batch = keys.subList(next, next + concurrent);
                    next += concurrent;
                    for (long key : batch) {
                        efficyEmulator.updateContact(key, Map.of("FIRSTNAME", "Round" + round + "x" + key));
                    }
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Long>> calls = new ArrayList<>();
                    for (long key : batch) {
                        String body = "{\"database\":\"demo\",\"records\":[{\"table\":11000,\"key\":" + key
                                + ",\"operation\":\"Update\",\"fields\":{\"FIRSTNAME\":\"changed\"}}]}";
                        calls.add(callers.submit(() -> {
                            go.await();
                            long start = System.nanoTime();
                            SyncReport r = engine.handleEfficyWebhook(body);
                            long took = System.nanoTime() - start;
                            if (r.updated() != 1) {
                                failures.incrementAndGet();
                            }
                            return took;
                        }));
                    }
                    if (round == 0) {
                        EFFICY_REQUESTS.reset();
                        EFFICY_NANOS.reset();
                        APSIS_REQUESTS.reset();
                        APSIS_NANOS.reset();
                    }
                    go.countDown();
                    for (Future<Long> call : calls) {
                        long took = call.get();
                        if (round >= 0) {
                            latencies.add(took);
                        }
                    }
                    Thread.sleep(1_500);
                }
                callers.shutdown();
                List<Long> sorted = new ArrayList<>(latencies);
                Collections.sort(sorted);
                System.out.printf(
                        "%n== real-time: %d rounds of %d concurrent webhook changes (%d measured)%n",
                        rounds, concurrent, sorted.size());
                System.out.printf(
                        "webhook -> APSIS write committed: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
                System.out.printf("calls that did not update exactly one contact: %d%n", failures.get());
                System.out.printf(
                        "Efficy requests: %,d for %,d webhook calls (concurrent reads are coalesced)%n",
                        EFFICY_REQUESTS.sum(), sorted.size());
                System.out.printf(
                        "mean time on the wire (request sent to answer read): Efficy %.1f ms over %,d requests,"
                                + " APSIS %.1f ms over %,d requests%n",
                        EFFICY_NANOS.sum() / 1e6 / Math.max(1, EFFICY_REQUESTS.sum()),
                        EFFICY_REQUESTS.sum(),
                        APSIS_NANOS.sum() / 1e6 / Math.max(1, APSIS_REQUESTS.sum()),
                        APSIS_REQUESTS.sum());
                System.out.printf(
                        "APSIS 429 answers seen by the emulator: %d%n",
                        apsisEmulator.journal().entries().stream()
                                .filter(e -> e.status() == 429)
                                .count());
            }
            efficy.close();
        }
    }

    private static double pct(List<Long> sorted, double p) {
        int i = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
