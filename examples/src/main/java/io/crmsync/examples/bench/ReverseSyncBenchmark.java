package io.crmsync.examples.bench;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.ApsisListener;
import io.crmsync.apsis.export.EmailEventType;
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
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.Definitions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reverse sync at scale: seeds N contacts, syncs them to APSIS, has the APSIS emulator's campaign
 * simulator send a newsletter with many responses (most recipients open, most of those click), then
 * times {@code reverseSync()}: export rows read, events written to Efficy, Efficy requests per
 * event. Emulators in this JVM, APSIS's documented limits kept. Not a test: it prints figures
 * (docs/PERFORMANCE.md).
 *
 * <pre>
 * java -Xmx3g -cp examples/target/crmsync-examples.jar io.crmsync.examples.bench.ReverseSyncBenchmark [--contacts 200000]
 * </pre>
 */
public final class ReverseSyncBenchmark {

    private ReverseSyncBenchmark() {}

    /** Runs the benchmark. */
    public static void main(String[] args) throws Exception {
        int contacts = 200_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--contacts" -> contacts = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        LongAdder efficyRequests = new LongAdder();
        LongAdder apsisRequests = new LongAdder();
        Path state = Files.createTempDirectory("crmsync-bench");
        System.out.printf("seeding %,d contacts...%n", contacts);
        try (EfficyEmulator efficyEmulator = EfficyEmulator.start().seedContacts(contacts, 42);
                ApsisEmulator apsisEmulator = ApsisEmulator.start();
                JdbcStateStore store = JdbcStateStore.create("jdbc:h2:file:" + state.resolve("state"))) {
            EfficyClient efficy = EfficyClient.builder()
                    .baseUri(efficyEmulator.baseUri().resolve("/crm"))
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
                    .baseUri(apsisEmulator.baseUri())
                    .clientId(ApsisEmulator.DEFAULT_CLIENT_ID)
                    .clientSecret(ApsisEmulator.DEFAULT_CLIENT_SECRET)
                    .importPollInterval(Duration.ofMillis(200))
                    .listener(new ApsisListener() {
                        @Override
                        public void requestStart(String route, String requestId, int attempt) {
                            apsisRequests.increment();
                        }
                    })
                    .build();
            try (SyncEngine engine = SyncEngine.builder()
                    .efficy(efficy)
                    .apsis(apsis)
                    .section(Definitions.SECTION)
                    .mapping(MappingProvider.of(List.of(
                            FieldMapping.text("EMAIL1", Definitions.EMAIL),
                            FieldMapping.text("FIRSTNAME", Definitions.FIRSTNAME))))
                    .consentPolicy(ConsentPolicy.of(
                            ConsentMapping.checkbox("F_NEWSLETTER", Definitions.NEWSLETTER, Channels.EMAIL)))
                    .responseMapping(ResponseMapping.defaults()
                            .with(
                                    EmailEventType.OPENED,
                                    ResponseAction.history(),
                                    ResponseAction.eventTimeTo("F_LAST_OPENED"))
                            .with(
                                    EmailEventType.BOUNCED,
                                    ResponseAction.history(),
                                    ResponseAction.set("F_BOUNCED", "1")))
                    .stateStore(store)
                    .build()) {
                SyncReport forward = engine.fullSync(FullSyncOptions.defaults());
                System.out.printf("set-up full sync: %s%n", forward);
                CampaignResult campaign = apsisEmulator.simulateCampaign(Campaign.newsletter("Benchmark")
                        .withSeed(3)
                        .withShares(0.03, 0.9, 0.8, 0.01, 0.05)
                        .sentAt(Instant.now().minus(Duration.ofHours(2))));
                System.out.printf(
                        "campaign: %,d distinct events, %,d export rows with repeats, %,d unsubscribed%n",
                        campaign.events(),
                        campaign.exportRows(),
                        campaign.unsubscribed().size());
                efficyRequests.reset();
                apsisRequests.reset();
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                double cpuBefore = os.getProcessCpuTime() / 1e9;
                long start = System.nanoTime();
                SyncReport reverse = engine.reverseSync();
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = os.getProcessCpuTime() / 1e9 - cpuBefore;
                System.out.printf("%n== reverse sync%n%s%n", reverse);
                System.out.printf(
                        "wall time %.1f s: %,.0f export rows/s, %,.0f distinct events/s%n",
                        seconds, campaign.exportRows() / seconds, campaign.events() / seconds);
                System.out.printf(
                        "Efficy requests: %,d (%.4f per event); APSIS requests: %,d%n",
                        efficyRequests.sum(), efficyRequests.sum() / (double) campaign.events(), apsisRequests.sum());
                System.out.printf(
                        "process CPU %.1f s (%.1f cores busy on average, emulators included)%n", cpu, cpu / seconds);
            }
            efficy.close();
        }
    }
}
