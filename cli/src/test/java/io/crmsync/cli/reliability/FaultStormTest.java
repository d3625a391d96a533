package io.crmsync.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.RateLimits;
import io.crmsync.client.RetryPolicy;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.http.Fault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 10% of the requests to both services fail at random (5xx, dropped connections, 429 with
 * {@code Retry-After}, and answers lost after the write took effect), through a full sync, polls
 * and a reverse sync of a campaign. Runs are repeated until they succeed, as a scheduler would;
 * at the end nothing is lost or duplicated on either side. The extra requests are counted against
 * the same work without faults.
 *
 * <p>Larger: {@code mvn -pl cli test -Dtest=FaultStormTest -Dcrmsync.reliability.storm=20000}.
 */
@Tag("reliability")
class FaultStormTest {

    static final int CONTACTS = Integer.getInteger("crmsync.reliability.storm", 800);
    private static final List<Fault> APSIS_STORM = List.of(
            Fault.status(503),
            Fault.status(500),
            Fault.connectionReset(),
            Fault.tooManyRequests(Duration.ofSeconds(1)),
            Fault.answerLost());
    private static final List<Fault> EFFICY_STORM =
            List.of(Fault.status(503), Fault.html504(), Fault.connectionReset(), Fault.answerLost());

    record Outcome(int runs, long lost, long duplicatedRecords, long duplicatedProfiles, long requests) {}

    @Test
    void aTenPercentFaultStormOnBothServicesLosesAndDuplicatesNothing() throws Exception {
        Outcome clean = scenario(0.0);
        Outcome storm = scenario(0.10);
        String row = "| 10% faults on both services (5xx, resets, 429 Retry-After, answers lost), " + CONTACTS
                + " contacts, full sync + polls + reverse sync | " + storm.runs() + " | " + storm.lost() + " | "
                + (storm.duplicatedRecords() + storm.duplicatedProfiles()) + " | 0 | "
                + (storm.requests() - clean.requests()) + " |";
        System.out.println(
                "RELIABILITY " + row + " (clean: " + clean.requests() + " requests in " + clean.runs() + " runs)");
        assertThat(storm.lost()).isZero();
        assertThat(storm.duplicatedRecords()).isZero();
        assertThat(storm.duplicatedProfiles()).isZero();
    }

    private Outcome scenario(double share) throws Exception {
        try (Pair pair = new Pair(CONTACTS, 31)) {
            EfficyClient efficy = EfficyClient.builder()
                    .baseUri(URI.create(pair.efficy.baseUri() + "/crm"))
                    .customer("demo")
                    .apiKey(pair.efficy.apiKey())
                    .retryPolicy(fast())
                    .build();
            ApsisClient apsis = ApsisClient.builder()
                    .baseUri(pair.apsis.baseUri())
                    .clientId(pair.apsis.clientId())
                    .clientSecret(pair.apsis.clientSecret())
                    .retryPolicy(fast())
                    .importDirectory(pair.imports)
                    .rateLimits(RateLimits.defaults()
                            .withPerAccountPerSecond(10_000)
                            .withPerProfilePerSecond(1_000)
                            .withImports(600, 3)
                            .withExportsPerMinute(600))
                    .importPollInterval(Duration.ofMillis(5))
                    .reportPollInterval(Duration.ofMillis(5))
                    .build();
            InMemoryStateStore store = new InMemoryStateStore();
            int runs = 0;
            try (SyncEngine engine = SyncEngine.builder()
                    .efficy(efficy)
                    .apsis(apsis)
                    .section(Definitions.SECTION)
                    .mapping(MappingProvider.of(List.of(
                            FieldMapping.text("EMAIL1", Definitions.EMAIL),
                            FieldMapping.text("FIRSTNAME", Definitions.FIRSTNAME))))
                    .consentPolicy(ConsentPolicy.of(
                            ConsentMapping.checkbox("F_NEWSLETTER", Definitions.NEWSLETTER, Channels.EMAIL)))
                    .stateStore(store)
                    .reverseWindows(Duration.ofHours(12), Duration.ofDays(2))
                    .build()) {
                if (share > 0) {
                    pair.apsis.faults().randomly(share, 11, APSIS_STORM);
                    pair.efficy.faults().randomly(share, 12, EFFICY_STORM);
                }
                runs += untilItSucceeds(() -> engine.fullSync(FullSyncOptions.defaults()));
                // Polls retry what was parked, until nothing is.
                for (int i = 0; i < 10 && parked(store) > 0; i++) {
                    runs += untilItSucceeds(engine::pollChanges);
                }
                CampaignResult campaign = pair.apsis.simulateCampaign(Campaign.newsletter("Storm")
                        .withSeed(5)
                        .withShares(0.05, 0.5, 0.4, 0.1, 0.2)
                        .sentAt(Instant.now().minus(Duration.ofHours(3))));
                runs += untilItSucceeds(engine::reverseSync);
                for (int i = 0;
                        i < 10
                                && store.quarantined().stream()
                                        .anyMatch(q -> q.kind().equals("email-event"));
                        i++) {
                    runs += untilItSucceeds(engine::reverseSync);
                }
                pair.apsis.faults().clear();
                pair.efficy.faults().clear();
                long records = count(pair, "select count(*) as N from ACTIONS where F_SOURCE_ID like 'apsis-email:%'");
                long distinct = count(
                        pair,
                        "select count(distinct F_SOURCE_ID) as N from ACTIONS where F_SOURCE_ID like 'apsis-email:%'");
                long lost = pair.lost().size() + Math.max(0, campaign.events() - distinct);
                long requests =
                        pair.apsis.journal().total() + pair.efficy.journal().total();
                return new Outcome(runs, lost, records - distinct, pair.duplicated(), requests);
            }
        }
    }

    private static long count(Pair pair, String sql) {
        return pair.efficy.database().rows(sql).stream()
                .mapToLong(r -> ((Number) r.get("N")).longValue())
                .sum();
    }

    private static long parked(InMemoryStateStore store) {
        return store.quarantined().stream()
                .filter(q -> "parked".equals(q.payload()))
                .count();
    }

    private static RetryPolicy fast() {
        return RetryPolicy.builder()
                .maxAttempts(3)
                .baseDelay(Duration.ofMillis(5))
                .maxDelay(Duration.ofMillis(50))
                .build();
    }

    /** Runs a job until it ends without an exception (at most 20 times); returns the runs it took. */
    private static int untilItSucceeds(Runnable job) {
        RuntimeException last = null;
        for (int run = 1; run <= 20; run++) {
            try {
                job.run();
                return run;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new AssertionError("20 runs in a row failed", last);
    }
}
