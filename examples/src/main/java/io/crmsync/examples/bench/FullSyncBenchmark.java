package io.crmsync.examples.bench;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.efficy.EfficyListener;
import io.crmsync.efficy.contact.ContactCursor;
import io.crmsync.efficy.contact.ContactPageRequest;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Full sync benchmark: syncs N contacts from the Efficy emulator to the APSIS emulator, then runs
 * again unchanged, and prints wall time, contacts/s, requests per side and route, requests per
 * contact and peak heap. Not a test: it prints figures (see docs/PERFORMANCE.md).
 *
 * <pre>
 * java -cp examples/target/crmsync-examples.jar io.crmsync.examples.bench.FullSyncBenchmark \
 *     [--contacts 100000] [--mode AUTO|IMPORT|PER_PROFILE] [--efficy URL --apsis URL] [--jfr DIR]
 * </pre>
 *
 * <p>Without {@code --efficy}/{@code --apsis} the emulators run in this JVM (and their memory
 * counts in the peak heap); with them, point at standalone emulators started by
 * {@code java -jar testkit/target/testkit-0.1.0-SNAPSHOT-standalone.jar both ...} (already seeded
 * with the contacts). The APSIS client keeps APSIS's documented limits (10 imports a minute).
 *
 * <p>{@code --jfr DIR} records each full sync in its own flight recording ({@code DIR/first-sync.jfr},
 * {@code DIR/unchanged-rerun.jfr}, JFR's "profile" settings), so the two profiles are not mixed; add
 * {@code -XX:FlightRecorderOptions:stackdepth=256} to the JVM for whole stacks.
 */
public final class FullSyncBenchmark {

    private static final LongAdder TOO_MANY = new LongAdder();

    private FullSyncBenchmark() {}

    /** CPU time of this whole process so far (all threads, GC and JIT included), in seconds. */
    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int contacts = 100_000;
        SyncMode mode = SyncMode.AUTO;
        String efficyUrl = null;
        String apsisUrl = null;
        int batch = FullSyncOptions.defaults().importBatchSize();
        Path jfr = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                case "--mode" -> mode = SyncMode.valueOf(args[++i]);
                case "--efficy" -> efficyUrl = args[++i];
                case "--apsis" -> apsisUrl = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--jfr" -> jfr = Files.createDirectories(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EfficyEmulator efficyEmulator = null;
        ApsisEmulator apsisEmulator = null;
        if (efficyUrl == null) {
            System.out.printf("seeding %,d contacts in the in-process Efficy emulator...%n", contacts);
            efficyEmulator = EfficyEmulator.start().seedContacts(contacts, 42);
            apsisEmulator =
                    ApsisEmulator.builder().limits(ApsisLimits.documented()).start();
            efficyUrl = efficyEmulator.baseUri() + "/crm";
            apsisUrl = apsisEmulator.baseUri().toString();
        }
        LongAdder efficyRequests = new LongAdder();
        Map<String, LongAdder> apsisRoutes = new ConcurrentHashMap<>();
        EfficyClient efficy = EfficyClient.builder()
                .baseUri(URI.create(efficyUrl))
                .customer("demo")
                .apiKey(EfficyEmulator.DEFAULT_API_KEY)
                .listener(new EfficyListener() {
                    @Override
                    public void requestStart(String operation, String requestId, int attempt) {
                        efficyRequests.increment();
                    }
                })
                .build();
        ApsisClient apsis = ApsisClient.builder()
                .baseUri(URI.create(apsisUrl))
                .clientId(ApsisEmulator.DEFAULT_CLIENT_ID)
                .clientSecret(ApsisEmulator.DEFAULT_CLIENT_SECRET)
                .importPollInterval(Duration.ofMillis(200))
                .listener(new ApsisListener() {
                    @Override
                    public void requestStart(String route, String requestId, int attempt) {
                        apsisRoutes.computeIfAbsent(route, r -> new LongAdder()).increment();
                    }

                    @Override
                    public void requestEnd(String route, String requestId, int attempt, int status, Duration elapsed) {
                        if (status == 429) {
                            TOO_MANY.increment();
                        }
                    }
                })
                .build();
        Path state = Files.createTempDirectory("crmsync-bench");
        HeapWatcher heap = new HeapWatcher();
        heap.start();
        try (JdbcStateStore store = JdbcStateStore.create("jdbc:h2:file:" + state.resolve("state"));
                SyncEngine engine = SyncEngine.builder()
                        .efficy(efficy)
                        .apsis(apsis)
                        .section("com.apsis1.sections.default")
                        .mapping(MappingProvider.of(List.of(
                                FieldMapping.text("EMAIL1", "com.apsis1.attributes.email"),
                                FieldMapping.text("MOBILE", "com.apsis1.attributes.mobile"),
                                FieldMapping.text("FIRSTNAME", "com.apsis1.attributes.firstname"),
                                FieldMapping.text("NAME", "com.apsis1.attributes.lastname"),
                                FieldMapping.text(
                                        "F_CUSTOMER_TIER", "usercreated.attributes.customer_tier-x8k2p0q1ab"))))
                        .consentPolicy(ConsentPolicy.of(
                                ConsentMapping.checkbox(
                                        "F_NEWSLETTER", "usercreated.topics.newsletter-ab12cd34ef", Channels.EMAIL),
                                ConsentMapping.profile(2, "usercreated.topics.offers-cd34ef56gh", Channels.EMAIL)))
                        .stateStore(store)
                        .build()) {
            FullSyncOptions options = FullSyncOptions.defaults().withMode(mode).withImports(batch, 1_000);
            bareRead(efficy);
            run("first full sync", engine, options, efficyRequests, apsisRoutes, recording(jfr, "first-sync"));
            run("unchanged re-run", engine, options, efficyRequests, apsisRoutes, recording(jfr, "unchanged-rerun"));
            bareRead(efficy);
        } finally {
            heap.stop();
            efficy.close();
            if (efficyEmulator != null) {
                efficyEmulator.close();
                apsisEmulator.close();
            }
        }
        System.out.printf(
                "peak heap used: %,d MB (max heap %,d MB)%n",
                heap.peak() / (1024 * 1024), Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    /**
     * Reads every page with the fields the engine reads and nothing else: the floor of any full sync
     * on this machine (the "bare read" the unchanged re-run is compared with).
     */
    private static void bareRead(EfficyClient efficy) {
        long start = System.nanoTime();
        long[] contacts = {0};
        efficy.contacts()
                .pages(ContactPageRequest.from(ContactCursor.start())
                        .fields(List.of("EMAIL1", "F_CUSTOMER_TIER", "F_NEWSLETTER", "FIRSTNAME", "MOBILE", "NAME"))
                        .pageSize(500)
                        .withProfiles(true))
                .forEach(page -> contacts[0] += page.contacts().size());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "%n== bare read of every page: %,d contacts in %.1f s, %,.0f contacts/s%n",
                contacts[0], seconds, contacts[0] / seconds);
    }

    /** A flight recording to {@code dir/name.jfr} with JFR's "profile" settings, or none without a dir. */
    private static Recording recording(Path dir, String name) throws IOException, ParseException {
        if (dir == null) {
            return null;
        }
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setName(name);
        r.setDestination(dir.resolve(name + ".jfr"));
        return r;
    }

    private static void run(
            String title,
            SyncEngine engine,
            FullSyncOptions options,
            LongAdder efficyRequests,
            Map<String, LongAdder> apsisRoutes,
            Recording recording) {
        efficyRequests.reset();
        apsisRoutes.clear();
        TOO_MANY.reset();
        if (recording != null) {
            recording.start();
        }
        double cpuBefore = processCpuSeconds();
        long start = System.nanoTime();
        SyncReport report = engine.fullSync(options);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = processCpuSeconds() - cpuBefore;
        if (recording != null) {
            recording.stop(); // written to its destination
            recording.close();
        }
        long apsisTotal =
                apsisRoutes.values().stream().mapToLong(LongAdder::sum).sum();
        long apsisWrites = apsisRoutes.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("GET ") && !e.getKey().startsWith("POST /oauth"))
                .mapToLong(e -> e.getValue().sum())
                .sum();
        System.out.printf("%n== %s (%s)%n", title, options.mode());
        System.out.println(report);
        System.out.printf("wall time %.1f s, %,.0f contacts/s%n", seconds, report.seen() / seconds);
        System.out.printf(
                "Efficy HTTP requests: %,d (%.4f per contact)%n",
                efficyRequests.sum(), efficyRequests.sum() / (double) Math.max(1, report.seen()));
        System.out.printf(
                "APSIS HTTP requests: %,d (%.4f per contact), of which writes: %,d%n",
                apsisTotal, apsisTotal / (double) Math.max(1, report.seen()), apsisWrites);
        System.out.printf(
                "APSIS requests/s: %.1f (limit 100), 429 answers: %d%n", apsisTotal / seconds, TOO_MANY.sum());
        System.out.printf(
                "process CPU: %.1f s (%.1f cores busy on average; with emulators apart, all of it is the engine's:"
                        + " %.1f µs per contact)%n",
                cpu, cpu / seconds, cpu * 1e6 / Math.max(1, report.seen()));
        Map<String, Long> byRoute = new TreeMap<>();
        apsisRoutes.forEach((r, n) -> byRoute.put(r, n.sum()));
        byRoute.forEach((r, n) -> System.out.printf("  %,9d  %s%n", n, r));
    }

    /** Samples heap use of all heap pools, keeping the peak. */
    static final class HeapWatcher {
        private volatile boolean running = true;
        private volatile long peak;
        private final Thread thread = new Thread(this::watch, "heap-watcher");

        void start() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            thread.setDaemon(true);
            thread.start();
        }

        private void watch() {
            while (running) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        used += pool.getUsage().getUsed();
                    }
                }
                peak = Math.max(peak, used);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            running = false;
        }

        long peak() {
            return peak;
        }
    }
}
