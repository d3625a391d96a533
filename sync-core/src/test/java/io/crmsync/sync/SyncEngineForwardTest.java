package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.mapping.ValueConverter;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.sync.state.QuarantinedRecord;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.apsis.ProfileView;
import io.crmsync.testkit.http.Fault;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncEngineForwardTest {

    static final String SEC = Emulated.SECTION;
    static final String KS = Emulated.KS;

    private final Emulated env = new Emulated(120);
    private final SyncEngine engine = env.engine().build();

    @AfterEach
    void stop() {
        engine.close();
        env.close();
    }

    private ProfileView profile(long key) {
        return env.apsis.profile(KS, Long.toString(key)).orElseThrow(() -> new AssertionError("no profile " + key));
    }

    private static boolean validEmail(Object email) {
        return email != null && email.toString().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    }

    @Test
    void fullSyncCreatesProfilesWithAttributesAndConsentsAndQuarantinesInvalidAddresses() {
        SyncReport report = engine.fullSync(
                FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE).withPageSize(50));

        assertThat(report.seen()).isEqualTo(120);
        long invalid = 0;
        for (long key = 1; key <= 120; key++) {
            Map<String, Object> c = env.efficy.contact(key);
            Object email = c.get("EMAIL1");
            if (email != null && !email.toString().isEmpty() && !validEmail(email)) {
                invalid++;
                assertThat(env.engineStoreQuarantined(engine, key))
                        .as("contact %d quarantined", key)
                        .isTrue();
                // Refused before any request: no half-made profile holding only the CRM id.
                assertThat(env.apsis.profile(KS, Long.toString(key)))
                        .as("profile of %d", key)
                        .isEmpty();
                continue;
            }
            ProfileView p = profile(key);
            assertThat(p.attribute(SEC, Definitions.CRMID)).contains(Long.toString(key));
            assertThat(p.attribute(SEC, Definitions.LASTNAME)).contains(c.get("NAME"));
            boolean hasEmail = email != null && !email.toString().isEmpty();
            String expected = hasEmail && "1".equals(c.get("F_NEWSLETTER")) ? "opt-in" : null;
            assertThat(p.consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL).orElse(null))
                    .as("newsletter of %d", key)
                    .isEqualTo(expected);
            boolean offers = hasEmail && env.efficy.profilesOf(key).contains(2L);
            assertThat(p.consent(SEC, Definitions.OFFERS, Channels.EMAIL).isPresent())
                    .isEqualTo(offers);
            if ("1".equals(c.get("F_SMS_OPTIN"))) {
                assertThat(p.consent(SEC, Definitions.SMS_ALERTS, Channels.SMS)).contains("opt-in");
            }
        }
        assertThat(invalid).isPositive();
        assertThat(report.quarantined())
                .hasSize((int) invalid)
                .allSatisfy(q -> assertThat(q.reason()).startsWith("the e-mail address in EMAIL1 "));
        assertThat(report.created()).isEqualTo(120 - invalid);
        assertThat(env.apsis.profileCount()).isEqualTo(120 - invalid);
        assertThat(env.apsis.journal().count("POST /audience/keyspaces/{ks}/sections/{s}/profiles"))
                .as("no request for an invalid address")
                .isBetween(120 - invalid, 120 - invalid + 2);
    }

    @Test
    void unchangedRerunMakesZeroApsisWrites() {
        engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));
        long before = env.apsisWrites();
        int quarantined = engine.stateStore().quarantined().size();

        SyncReport again = engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));

        // Contacts APSIS refused are not sent again while unchanged; nothing else changed either.
        assertThat(again.unchanged()).isEqualTo(120 - quarantined);
        assertThat(again.stillRejected()).isEqualTo(quarantined);
        assertThat(env.apsisWrites() - before).isZero();

        SyncReport retried = engine.fullSync(FullSyncOptions.defaults().withRetryQuarantined(true));
        assertThat(retried.quarantined()).hasSize(quarantined);
        assertThat(env.apsisWrites() - before)
                .as("an invalid address is checked again, and still sends nothing")
                .isZero();
    }

    @Test
    void mappingChangeResendsWhatItAffects() {
        engine.fullSync(FullSyncOptions.defaults());
        long patchesBefore =
                env.apsis.journal().count("PATCH /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes");
        List<FieldMapping> extended = new ArrayList<>(Emulated.MAPPING.mappings());
        extended.add(FieldMapping.text("F_CUSTOMER_TIER", Definitions.CUSTOMER_TIER));
        try (SyncEngine changed =
                env.engine(b -> b.mapping(MappingProvider.of(extended)).stateStore(engine.stateStore()))) {
            SyncReport report = changed.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));
            assertThat(report.unchanged()).isZero();
        }
        long patches =
                env.apsis.journal().count("PATCH /v2/audience/keyspaces/{ks}/profiles/{pk}/sections/{s}/attributes")
                        - patchesBefore;
        long withTier = 0;
        for (long key = 1; key <= 120; key++) {
            Object tier = env.efficy.contact(key).get("F_CUSTOMER_TIER");
            var p = env.apsis.profile(KS, Long.toString(key));
            if (env.engineStoreQuarantined(engine, key)) {
                assertThat(p).isEmpty(); // an invalid address: never sent
                continue;
            }
            if (tier != null && p.isPresent()) {
                withTier++;
                assertThat(p.get().attribute(SEC, Definitions.CUSTOMER_TIER)).contains(tier);
            }
        }
        // Only the new attribute is sent, to contacts that have a tier; contacts with an invalid address
        // send nothing. A transport-level retry of an idempotent patch may add a request now and then.
        assertThat(patches).isBetween(withTier, withTier + 3);
    }

    private long newsletterContactWithEmail() {
        for (long key = 1; key <= 120; key++) {
            Map<String, Object> c = env.efficy.contact(key);
            if ("1".equals(c.get("F_NEWSLETTER")) && validEmail(c.get("EMAIL1"))) {
                return key;
            }
        }
        throw new AssertionError("no opted-in contact in the seed");
    }

    @Test
    void emailChangeOptsInNewAddressAndOptsOutOld() {
        long key = newsletterContactWithEmail();
        engine.syncContact(key);
        String old = (String) env.efficy.contact(key).get("EMAIL1");

        env.efficy.updateContact(key, Map.of("EMAIL1", "moved." + key + "@example.org"));
        SyncReport report = engine.syncContact(key);

        assertThat(report.updated()).isEqualTo(1);
        ProfileView p = profile(key);
        assertThat(p.attribute(SEC, Definitions.EMAIL)).contains("moved." + key + "@example.org");
        List<ConsentRecord> newsletter = p.history().stream()
                .filter(h -> h.topic().equals(Definitions.NEWSLETTER))
                .toList();
        assertThat(newsletter)
                .extracting(ConsentRecord::type, ConsentRecord::address)
                .containsExactly(
                        Tuple.tuple("opt-in", old),
                        Tuple.tuple("opt-out", old),
                        Tuple.tuple("opt-in", "moved." + key + "@example.org"));
        assertThat(p.consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL)).contains("opt-in");
    }

    @Test
    void untickingOptsOutAndNeverTickedGivesNoConsent() {
        long key = newsletterContactWithEmail();
        engine.syncContact(key);
        env.efficy.updateContact(key, Map.of("F_NEWSLETTER", "0"));
        engine.syncContact(key);
        assertThat(profile(key).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-out");

        long fresh =
                env.efficy.createContact(Map.of("NAME", "Never", "EMAIL1", "never@example.com", "F_NEWSLETTER", "0"));
        engine.syncContact(fresh);
        assertThat(profile(fresh).consents()).isEmpty();
        assertThat(profile(fresh).history()).isEmpty();
    }

    @Test
    void profileMembershipMapsToATopic() {
        long key = env.efficy.createContact(Map.of("NAME", "Member", "EMAIL1", "member@example.com"));
        env.efficy.setProfile(key, 2, true);
        engine.syncContact(key);
        assertThat(profile(key).consent(SEC, Definitions.OFFERS, Channels.EMAIL))
                .contains("opt-in");
        env.efficy.setProfile(key, 2, false);
        engine.syncContact(key);
        assertThat(profile(key).consent(SEC, Definitions.OFFERS, Channels.EMAIL))
                .contains("opt-out");
    }

    @Test
    void contactThatStopsMatchingIsLeftOptedOutOrDeletedAsConfigured() {
        long leave = env.efficy.createContact(Map.of("NAME", "L", "EMAIL1", "l@example.com", "F_NEWSLETTER", "1"));
        long optOut = env.efficy.createContact(Map.of("NAME", "O", "EMAIL1", "o@example.com", "F_NEWSLETTER", "1"));
        long delete = env.efficy.createContact(Map.of("NAME", "D", "EMAIL1", "d@example.com", "F_NEWSLETTER", "1"));
        SyncCondition opened = SyncCondition.equalTo("OPENED", "1");
        try (SyncEngine leaving = env.engine(b -> b.condition(opened));
                SyncEngine optingOut = env.engine(b -> b.condition(opened).stopMatching(StopMatchingPolicy.OPT_OUT));
                SyncEngine deleting =
                        env.engine(b -> b.condition(opened).stopMatching(StopMatchingPolicy.DELETE_PROFILE))) {
            leaving.syncContact(leave);
            optingOut.syncContact(optOut);
            deleting.syncContact(delete);
            for (long k : List.of(leave, optOut, delete)) {
                env.efficy.updateContact(k, Map.of("OPENED", "0"));
            }
            long writes = env.apsisWrites();
            assertThat(leaving.syncContact(leave).filteredOut()).isEqualTo(1);
            assertThat(env.apsisWrites()).isEqualTo(writes);
            optingOut.syncContact(optOut);
            deleting.syncContact(delete);
        }
        assertThat(profile(leave).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-in");
        assertThat(profile(optOut).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-out");
        assertThat(env.apsis.profile(KS, Long.toString(delete))).isEmpty();
    }

    @Test
    void webhookUpdatesSyncAndDeletesFollowThePolicy() {
        long key = newsletterContactWithEmail();
        engine.syncContact(key);
        env.efficy.updateContact(key, Map.of("FIRSTNAME", "Webhooked"));
        engine.handleEfficyWebhook(
                "{\"database\":\"demo\",\"records\":[{\"table\":11000,\"key\":" + key
                        + ",\"operation\":\"Update\",\"fields\":{\"FIRSTNAME\":\"Webhooked\"}},{\"table\":10000,\"key\":3,\"operation\":\"Update\"}]}");
        assertThat(profile(key).attribute(SEC, Definitions.FIRSTNAME)).contains("Webhooked");

        env.efficy.deleteContact(key);
        SyncReport deleted = engine.handleEfficyWebhook(
                "{\"records\":[{\"table\":11000,\"key\":" + key + ",\"operation\":\"Delete\"}]}");
        assertThat(deleted.consentChanges()).isPositive();
        assertThat(profile(key).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-out");

        long other = env.efficy.createContact(Map.of("NAME", "X", "EMAIL1", "x@example.com"));
        try (SyncEngine deleting = env.engine(
                b -> b.deletedContact(DeletedContactPolicy.DELETE_PROFILE).stateStore(engine.stateStore()))) {
            deleting.syncContact(other);
            env.efficy.deleteContact(other); // a Delete is acted on only once Efficy confirms it
            deleting.handleEfficyWebhook(
                    "{\"records\":[{\"table\":11000,\"key\":" + other + ",\"operation\":\"Delete\"}]}");
        }
        assertThat(env.apsis.profile(KS, Long.toString(other))).isEmpty();

        assertThatThrownBy(() -> engine.handleEfficyWebhook("{\"records\":\"nope\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("records");
    }

    @Test
    void pollChangesFollowsDChangeAndCommitsItsCursor() {
        engine.pollChanges();
        long writes = env.apsisWrites();
        env.efficy.updateContact(5, Map.of("FIRSTNAME", "Five"));
        env.efficy.updateContact(9, Map.of("FIRSTNAME", "Nine"));

        SyncReport report = engine.pollChanges();

        assertThat(report.seen()).isEqualTo(2);
        assertThat(engine.pollChanges().seen()).isZero();
        assertThat(engine.stateStore().cursor("poll")).isPresent();
        assertThat(env.apsisWrites() - writes).isBetween(1L, 4L);
    }

    @Test
    void dryRunPlansWithoutWriting() {
        SyncReport report = engine.fullSync(FullSyncOptions.defaults().withDryRun(true));
        assertThat(report.dryRun()).isTrue();
        assertThat(report.quarantined()).isNotEmpty();
        assertThat(report.created() + report.quarantined().size()).isEqualTo(120);
        assertThat(engine.stateStore().quarantined()).isEmpty();
        assertThat(report.consentChanges()).isPositive();
        assertThat(env.apsisWrites()).isZero();
        assertThat(env.apsis.profileCount()).isZero();
        assertThat(engine.stateStore().cursor("fullSync")).isEmpty();
    }

    @Test
    void quarantinedContactIsRetriedAndReleasedOnceFixed() {
        engine.fullSync(FullSyncOptions.defaults());
        QuarantinedRecord q = engine.stateStore().quarantined().get(0);
        long key = Long.parseLong(q.id());
        env.efficy.updateContact(key, Map.of("EMAIL1", "fixed" + key + "@example.com"));

        engine.fullSync(FullSyncOptions.defaults());

        assertThat(engine.stateStore().quarantined())
                .extracting(QuarantinedRecord::id)
                .doesNotContain(q.id());
        assertThat(profile(key).attribute(SEC, Definitions.EMAIL)).contains("fixed" + key + "@example.com");
    }

    @Test
    void unconvertibleValueIsQuarantinedNamingTheField() {
        try (SyncEngine numeric = env.engine(b -> b.mapping(MappingProvider.of(List.of(
                FieldMapping.text("EMAIL1", Definitions.EMAIL),
                new FieldMapping("NAME", Definitions.SCORE, ValueConverter.NUMBER)))))) {
            SyncReport report = numeric.syncContact(1);
            assertThat(report.quarantined())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason()).isEqualTo("field NAME is not a number"));
        }
    }

    @Test
    void aProfileDeletedInApsisIsRecreatedWithEverythingOnTheNextChange() {
        long key = newsletterContactWithEmail();
        engine.syncContact(key);
        env.apsisClient.profiles().delete(new ProfileKey(KS, Long.toString(key)));

        env.efficy.updateContact(key, Map.of("FIRSTNAME", "Back"));
        SyncReport report = engine.syncContact(key);

        assertThat(report.updated()).isEqualTo(1);
        ProfileView p = profile(key);
        assertThat(p.attribute(SEC, Definitions.FIRSTNAME)).contains("Back");
        assertThat(p.attribute(SEC, Definitions.EMAIL))
                .contains(env.efficy.contact(key).get("EMAIL1"));
        assertThat(p.consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL)).contains("opt-in");
    }

    @Test
    void aRefusalAfterTheCreateLeavesNoHalfMadeProfile() {
        long key = newsletterContactWithEmail();
        env.apsis.faults().next(1, "/profiles/" + key + "/sections", Fault.status(400));

        SyncReport report = engine.syncContact(key);

        assertThat(report.quarantined()).extracting(QuarantinedRecord::id).containsExactly(Long.toString(key));
        assertThat(env.apsis.profile(KS, Long.toString(key))).isEmpty();
        assertThat(env.apsis.journal().count("DELETE /audience/keyspaces/{ks}/profiles/{pk}"))
                .isEqualTo(1);
    }

    @Test
    void firstPollAfterAFullSyncReadsOnlyWhatChangedSince() {
        try (SyncEngine noSkew = env.engine(b -> b.clockSkew(Duration.ZERO))) {
            LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);
            noSkew.fullSync(FullSyncOptions.defaults());
            String cursor = noSkew.stateStore().cursor("poll").orElseThrow();
            assertThat(LocalDateTime.parse(cursor.substring(0, cursor.indexOf('|'))))
                    .isAfterOrEqualTo(before.minusSeconds(1));
            env.efficy.updateContact(5, Map.of("NAME", "Changed after the full sync"));

            SyncReport poll = noSkew.pollChanges();

            assertThat(poll.seen()).isEqualTo(1);
            assertThat(profile(5).attribute(SEC, Definitions.LASTNAME)).contains("Changed after the full sync");
        }
        try (SyncEngine skewed =
                env.engine(b -> b.clockSkew(Duration.ofHours(1)).stateStore(new InMemoryStateStore()))) {
            skewed.fullSync(FullSyncOptions.defaults());
            String cursor = skewed.stateStore().cursor("poll").orElseThrow();
            assertThat(LocalDateTime.parse(cursor.substring(0, cursor.indexOf('|'))))
                    .isBefore(LocalDateTime.now(ZoneOffset.UTC).minusMinutes(59));
        }
    }

    @Test
    void aWebhookDeleteForAContactEfficyStillHasOptsNobodyOut() {
        engine.fullSync(FullSyncOptions.defaults());
        long key = newsletterContactWithEmail();
        assertThat(profile(key).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-in");

        SyncReport forged = engine.handleEfficyWebhook(
                "{\"records\":[{\"table\":11000,\"key\":" + key + ",\"operation\":\"Delete\"}]}");

        assertThat(forged.deleted()).isZero();
        assertThat(profile(key).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-in");

        env.efficy.deleteContact(key);
        engine.handleEfficyWebhook("{\"records\":[{\"table\":11000,\"key\":" + key + ",\"operation\":\"Delete\"}]}");
        assertThat(profile(key).consent(SEC, Definitions.NEWSLETTER, Channels.EMAIL))
                .contains("opt-out");
    }
}
