package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.error.ApsisAuthenticationException;
import io.crmsync.apsis.error.ApsisServerException;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.state.ContactSnapshot;
import io.crmsync.sync.state.ForwardingStateStore;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.sync.state.StateStore;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.http.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncEngineRunsTest {

    static final String KS = Emulated.KS;
    static final String SEC = Emulated.SECTION;
    static final String CREATE = "POST /audience/keyspaces/{ks}/sections/{s}/profiles";

    private final Emulated env = new Emulated(1_200);

    @AfterEach
    void stop() {
        env.close();
    }

    /** A store that "crashes" (throws) when the full-sync checkpoint is saved for the n-th time. */
    static final class CrashingStore extends ForwardingStateStore {
        final AtomicInteger checkpoints = new AtomicInteger();
        volatile int crashAt;

        CrashingStore(int crashAt) {
            super(new InMemoryStateStore());
            this.crashAt = crashAt;
        }

        @Override
        public void saveCursor(String name, String value) {
            if (name.equals("fullSync") && checkpoints.incrementAndGet() == crashAt) {
                throw new IllegalStateException("simulated crash before the checkpoint was committed");
            }
            super.saveCursor(name, value);
        }
    }

    private long validContacts() {
        return env.apsis.profileCount();
    }

    @Test
    void crashMidFullSyncResumesFromTheCheckpointWithNothingLostOrSentTwice() {
        CrashingStore store = new CrashingStore(3);
        FullSyncOptions options =
                FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE).withPageSize(200);
        try (SyncEngine first = env.engine(b -> b.stateStore(store))) {
            assertThatThrownBy(() -> first.fullSync(options)).hasMessageContaining("simulated crash");
        }
        assertThat(store.cursor("fullSync")).contains("400");
        long createsBefore = env.apsis.journal().count(CREATE);
        // Three pages were written, the third not checkpointed; invalid addresses send nothing. (A
        // transport-level retry of an idempotent create, after a dropped keep-alive connection, may
        // add a request now and then.)
        long validFirst600 = 600 - invalidBetween(1, 600);
        assertThat(createsBefore).isBetween(validFirst600, validFirst600 + 3);

        store.crashAt = -1;
        SyncReport resumed;
        try (SyncEngine second = env.engine(b -> b.stateStore(store))) {
            resumed = second.fullSync(options);
        }

        assertThat(resumed.resumedFrom()).isEqualTo("400");
        // The third page is read again but its contacts are unchanged (or refused before with the same
        // content): no create is sent twice.
        long refusedOnThirdPage = quarantinedBetween(store, 401, 600);
        assertThat(resumed.unchanged()).isEqualTo(200 - refusedOnThirdPage);
        assertThat(resumed.stillRejected()).isEqualTo(refusedOnThirdPage);
        assertThat(resumed.created()).isEqualTo(600 - quarantinedBetween(store, 601, 1_200));
        long validLast600 = 600 - invalidBetween(601, 1_200);
        assertThat(env.apsis.journal().count(CREATE) - createsBefore).isBetween(validLast600, validLast600 + 3);
        // Each profile was created exactly once: every other create answer was a 409 from a retry.
        long valid = 1_200 - invalidBetween(1, 1_200);
        assertThat(env.apsis.journal().entries().stream()
                        .filter(e -> e.route().equals(CREATE) && e.status() == 201)
                        .count())
                .isEqualTo(valid);
        assertThat(env.apsis.profileCount()).isEqualTo(valid);
        assertThat(store.cursor("fullSync")).isEmpty();
        for (long k = 1; k <= 1_200; k++) {
            long key = k;
            boolean quarantined = store.quarantined().stream().anyMatch(q -> q.id().equals(Long.toString(key)));
            assertThat(store.snapshot(key).orElseThrow().fingerprint().startsWith("rejected:"))
                    .as("snapshot of %d", key)
                    .isEqualTo(quarantined);
        }
    }

    /** Contacts whose address the engine refuses before any request (the generator makes some). */
    private long invalidBetween(long from, long to) {
        long n = 0;
        for (long key = from; key <= to; key++) {
            Object email = env.efficy.contact(key).get("EMAIL1");
            if (email != null
                    && !email.toString().isEmpty()
                    && !email.toString().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
                n++;
            }
        }
        return n;
    }

    private static long quarantinedBetween(StateStore store, long from, long to) {
        return store.quarantined().stream()
                .mapToLong(q -> Long.parseLong(q.id()))
                .filter(k -> k >= from && k <= to)
                .count();
    }

    @Test
    void apsisOutageStopsTheRunAndTheNextRunFinishesIt() {
        FullSyncOptions options =
                FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE).withPageSize(300);
        try (SyncEngine engine = env.engine(b -> b.concurrency(1))) {
            env.apsis.faults().next(500, "/profiles", Fault.status(503));
            assertThatThrownBy(() -> engine.fullSync(options))
                    .isInstanceOf(CircuitOpenException.class)
                    .hasCauseInstanceOf(ApsisServerException.class);
            env.apsis.faults().clear();
            SyncReport report = engine.fullSync(options);
            assertThat(env.apsis.profileCount()).isEqualTo(1_200 - invalidBetween(1, 1_200));
            assertThat(report.created()
                            + report.unchanged()
                            + report.quarantined().size())
                    .isEqualTo(1_200);
        }
    }

    @Test
    void importModeSyncsWithFarFewerRequestsThanContactsAndUnchangedRerunWritesNothing() {
        try (SyncEngine engine = env.engine(b -> {})) {
            SyncReport report = engine.fullSync(
                    FullSyncOptions.defaults().withMode(SyncMode.IMPORT).withImports(500, 1));

            long quarantined = report.quarantined().size();
            assertThat(report.created()).isEqualTo(1_200 - quarantined);
            assertThat(quarantined).isPositive();
            assertThat(env.apsis.profileCount()).isEqualTo(1_200 - quarantined);
            long requests = env.apsis.journal().total();
            assertThat((double) requests / 1_200).isLessThan(0.1);
            for (long key = 1; key <= 50; key++) {
                Map<String, Object> c = env.efficy.contact(key);
                var p = env.apsis.profile(KS, Long.toString(key));
                if (p.isEmpty()) {
                    continue;
                }
                assertThat(p.get().attribute(SEC, Definitions.FIRSTNAME)).contains(c.get("FIRSTNAME"));
                boolean email =
                        c.get("EMAIL1") != null && !c.get("EMAIL1").toString().isEmpty();
                if (email && "1".equals(c.get("F_NEWSLETTER"))) {
                    assertThat(p.get().consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                            .contains("opt-in");
                }
            }
            long before = env.apsis.journal().total();
            long writesAfterFirst = env.apsisWrites();
            SyncReport again = engine.fullSync(
                    FullSyncOptions.defaults().withMode(SyncMode.IMPORT).withImports(500, 1));
            assertThat(again.unchanged()).isEqualTo(1_200 - quarantined);
            assertThat(again.stillRejected()).isEqualTo(quarantined);
            assertThat(env.apsisWrites()).as("no write on the unchanged re-run").isEqualTo(writesAfterFirst);
            assertThat(env.apsis.journal().total() - before).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void importsAreSizedByTheirFileAndTheCheckpointNeverPassesARowNotYetCommitted() {
        InMemoryStateStore inner = new InMemoryStateStore();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicInteger checkpoints = new AtomicInteger();
        ForwardingStateStore store = new ForwardingStateStore(inner) {
            @Override
            public void saveCursor(String name, String value) {
                if (name.equals(Job.FULL_SYNC.id())) {
                    checkpoints.incrementAndGet();
                    Set<String> quarantined = new HashSet<>();
                    inner.quarantined().forEach(q -> quarantined.add(q.id()));
                    for (long key = 1; key <= Long.parseLong(value); key++) {
                        if (inner.snapshot(key).isEmpty() && !quarantined.contains(Long.toString(key))) {
                            violations.add("checkpoint " + value + " passed contact " + key + ", not committed");
                            break;
                        }
                    }
                }
                super.saveCursor(name, value);
            }
        };
        try (SyncEngine engine = env.engine(b -> b.stateStore(store))) {
            // Files of at most 16 kB: about 150 rows each, so the 1,200 contacts need several imports.
            SyncReport report = engine.fullSync(FullSyncOptions.defaults()
                    .withMode(SyncMode.IMPORT)
                    .withPageSize(100)
                    .withImportMaxBytes(16 * 1024));

            long quarantined = report.quarantined().size();
            assertThat(report.created()).isEqualTo(1_200 - quarantined);
            assertThat(env.apsis.profileCount()).isEqualTo(1_200 - quarantined);
            assertThat(env.apsis.journal().count("POST /v2/audience/sections/{s}/imports"))
                    .isBetween(5L, 12L);
            assertThat(checkpoints.get())
                    .as("checkpoints as imports were committed")
                    .isGreaterThan(1);
            assertThat(violations).isEmpty();
            assertThat(inner.cursor(Job.FULL_SYNC.id()))
                    .as("done: no checkpoint left")
                    .isEmpty();
            for (long key = 1; key <= 1_200; key++) {
                if (env.apsis.profile(KS, Long.toString(key)).isPresent()) {
                    assertThat(inner.snapshot(key).map(ContactSnapshot::version))
                            .as("contact %d is committed once, after it reached APSIS", key)
                            .isEqualTo(Optional.of(1L));
                }
            }
        }
    }

    @Test
    void autoModeUsesPerProfileCallsForSmallBatches() {
        try (SyncEngine engine = env.engine(b -> {})) {
            engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.AUTO).withImports(20_000, 5_000));
            assertThat(env.apsis.journal().count("POST /v2/audience/sections/{s}/imports"))
                    .isZero();
            assertThat(env.apsis.journal().count(CREATE)).isEqualTo(1_200 - invalidBetween(1, 1_200));

            SyncReport again = engine.fullSync(
                    FullSyncOptions.defaults().withMode(SyncMode.AUTO).withImports(20_000, 5_000));
            assertThat(again.seen()).as("each contact counted once").isEqualTo(1_200);
            assertThat(again.unchanged() + again.stillRejected()).isEqualTo(1_200);
        }
    }

    @Test
    void storedQueryIsSyncedAsATagForMembersAndLeavers() {
        env.efficy.addStoredQuery(
                31, "Gold customers", "select K_CONTACT from CONTACTS where F_CUSTOMER_TIER = 'Gold'");
        env.apsis.addTag("usercreated.tags.gold-customers-p6q7r8s9t0", "Gold customers");
        try (SyncEngine engine =
                env.engine(b -> b.query(QueryTagMapping.of(31, "usercreated.tags.gold-customers-p6q7r8s9t0")))) {
            engine.fullSync(FullSyncOptions.defaults());
            long gold = env
                    .efficy
                    .database()
                    .rows("select count(*) as N from CONTACTS where F_CUSTOMER_TIER = 'Gold'")
                    .stream()
                    .mapToLong(r -> ((Number) r.get("N")).longValue())
                    .sum();
            SyncReport first = engine.syncQueries();
            long tagged = first.tagChanges();
            assertThat(tagged).isPositive().isLessThanOrEqualTo(gold);
            long member = engine.stateStore().queryMembers(31).iterator().next();
            assertThat(env.apsis
                            .profile(KS, Long.toString(member))
                            .orElseThrow()
                            .tags(SEC))
                    .contains("usercreated.tags.gold-customers-p6q7r8s9t0");

            env.efficy.updateContact(member, Map.of("F_CUSTOMER_TIER", "Silver"));
            SyncReport second = engine.syncQueries();

            assertThat(second.tagChanges()).isEqualTo(1);
            assertThat(env.apsis
                            .profile(KS, Long.toString(member))
                            .orElseThrow()
                            .tags(SEC))
                    .isEmpty();
            assertThat(engine.stateStore().queryMembers(31))
                    .doesNotContain(member)
                    .hasSize((int) tagged - 1);
        }
    }

    @Test
    void validateSetupPassesForAGoodSetupAndListsEveryProblemOfABadOne() {
        try (SyncEngine good = env.engine(b -> {})) {
            SetupReport report = good.validateSetup();
            assertThat(report.problems()).isEmpty();
            assertThat(report.efficyVersion()).isEqualTo("12.1.3");
            assertThat(report.efficyUser()).isEqualTo("APIUSER");
        }
        try (SyncEngine bad = env.engine(b -> b.mapping(MappingProvider.of(List.of(
                        FieldMapping.text("EMAIL1", Definitions.EMAIL),
                        FieldMapping.text("F_NO_SUCH_FIELD", "usercreated.attributes.missing-0000000000"))))
                .consentPolicy(ConsentPolicy.of(
                        ConsentMapping.checkbox("F_NEWSLETTER", "usercreated.topics.gone-1", Channels.EMAIL)))
                .keyspace("com.apsis1.keyspaces.nope")
                .responseMapping(ResponseMapping.defaults().withFields("F_NO_SOURCE", null))
                .query(QueryTagMapping.of(31, "usercreated.tags.nope")))) {
            SetupReport report = bad.validateSetup();
            assertThat(report.isValid()).isFalse();
            assertThat(report.problems())
                    .anyMatch(p -> p.contains("F_NO_SUCH_FIELD"))
                    .anyMatch(p -> p.contains("usercreated.attributes.missing-0000000000"))
                    .anyMatch(p -> p.contains("usercreated.topics.gone-1"))
                    .anyMatch(p -> p.contains("com.apsis1.keyspaces.nope"))
                    .anyMatch(p -> p.contains("usercreated.tags.nope"))
                    .anyMatch(p -> p.contains("Acti field F_NO_SOURCE"));
        }
    }

    @Test
    void aFullSyncHeldByAnotherInstanceIsRefused() {
        StateStore store = new InMemoryStateStore();
        store.tryLease("fullSync", "someone-else", Instant.now(), Duration.ofMinutes(5));
        try (SyncEngine engine = env.engine(b -> b.stateStore(store))) {
            assertThatThrownBy(() -> engine.fullSync(FullSyncOptions.defaults()))
                    .isInstanceOf(JobAlreadyRunningException.class)
                    .hasMessageContaining("fullSync");
        }
        assertThat(env.apsis.journal().count(CREATE)).isZero();
    }

    @Test
    void refusedApsisCredentialsStopTheRunAfterOneTokenRequest() {
        ApsisClient wrong = ApsisClient.builder()
                .baseUri(env.apsis.baseUri())
                .clientId(env.apsis.clientId())
                .clientSecret("not-the-secret")
                .build();
        try (SyncEngine engine = env.engine(b -> b.apsis(wrong))) {
            assertThatThrownBy(() -> engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE)))
                    .isInstanceOf(ApsisAuthenticationException.class)
                    .hasMessageContaining("check the client id and client secret")
                    .hasMessageNotContaining("not-the-secret");
        }
        assertThat(env.apsis.journal().count("POST /oauth/token")).isEqualTo(1);
        assertThat(env.apsis.profileCount()).isZero();
    }

    @Test
    void aRunStopsOnceApsisRefusedEveryWriteOfAKindItTried() {
        // A consent channel APSIS does not have: every consent write is refused, every create is not.
        ConsentPolicy wrongChannel = ConsentPolicy.of(
                ConsentMapping.checkbox("F_NEWSLETTER", Definitions.NEWSLETTER, "com.apsis1.channels.pigeon"));
        try (SyncEngine engine = env.engine(b -> b.consentPolicy(wrongChannel))) {
            assertThatThrownBy(() -> engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE)))
                    .isInstanceOf(WritesRefusedException.class)
                    .hasMessageMatching(
                            ".*APSIS refused all \\d+ consent writes it tried and accepted none.*unknown channel.*");
        }
        long consentRequests = env.apsis.journal().entries().stream()
                .filter(e -> e.route().contains("consents"))
                .count();
        assertThat(consentRequests)
                .as("the run stopped after the 50th refusal, not after all 1,200 contacts")
                .isLessThan(100);
        assertThat(env.apsis.profileCount()).isLessThan(1_200);
    }
}
