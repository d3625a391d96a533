package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.state.ForwardingStateStore;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.sync.state.QuarantinedRecord;
import io.crmsync.sync.state.StateStore;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyncEngineReverseTest {

    private final Emulated env = new Emulated(200);
    private final StateStore store = new InMemoryStateStore();

    @AfterEach
    void stop() {
        env.close();
    }

    private SyncEngine engine(StateStore s) {
        return env.engine(b -> b.stateStore(s)
                .reverseWindows(Duration.ofHours(12), Duration.ofDays(2))
                .responseMapping(ResponseMapping.defaults()
                        .withFields(ResponseMapping.DEFAULT_SOURCE_FIELD, "F_EVENT_TYPE")
                        .with(
                                EmailEventType.OPENED,
                                ResponseAction.history(),
                                ResponseAction.eventTimeTo("F_LAST_OPENED"))
                        .with(EmailEventType.BOUNCED, ResponseAction.history(), ResponseAction.set("F_BOUNCED", "1"))));
    }

    private SyncEngine engineWith(ResponseMapping mapping) {
        return env.engine(b -> b.stateStore(store)
                .reverseWindows(Duration.ofHours(12), Duration.ofDays(2))
                .responseMapping(mapping));
    }

    /** A full sync, then a campaign whose events wait in the export. */
    private CampaignResult syncedCampaign() {
        try (SyncEngine engine = engine(store)) {
            engine.fullSync(FullSyncOptions.defaults());
        }
        return campaign();
    }

    private CampaignResult campaign() {
        return env.apsis.simulateCampaign(Campaign.newsletter("Autumn news")
                .withSeed(5)
                .withShares(0.05, 0.5, 0.4, 0.1, 0.2)
                .sentAt(Instant.now().minus(Duration.ofHours(3))));
    }

    private long historyRecords() {
        return env
                .efficy
                .database()
                .rows("select count(*) as N from ACTIONS where F_SOURCE_ID like 'apsis-email:%'")
                .stream()
                .mapToLong(r -> ((Number) r.get("N")).longValue())
                .sum();
    }

    @Test
    void campaignEventsReachEfficyExactlyOnceAlsoWhenRunTwiceOrReRead() {
        try (SyncEngine engine = engine(store)) {
            engine.fullSync(FullSyncOptions.defaults());
            CampaignResult campaign = campaign();
            assertThat(campaign.events()).isGreaterThan(100);

            SyncReport first = engine.reverseSync();

            assertThat(historyRecords()).isEqualTo(campaign.events());
            assertThat(first.duplicates()).isEqualTo(campaign.exportRows() - campaign.events());
            assertThat(first.quarantined()).isEmpty();
            engine.reverseSync();
            assertThat(historyRecords()).isEqualTo(campaign.events());

            store.deleteCursor("reverseSync"); // read every window again
            SyncReport reread = engine.reverseSync();
            assertThat(reread.duplicates()).isEqualTo(campaign.exportRows());
            assertThat(historyRecords()).isEqualTo(campaign.events());
        }
    }

    @Test
    void historyRecordsAreLinkedDoneAndCarryTheEventAndFieldUpdatesLand() {
        try (SyncEngine engine = engine(store)) {
            engine.fullSync(FullSyncOptions.defaults());
            campaign();
            engine.reverseSync();
        }
        Map<String, Object> opened = env.efficy
                .database()
                .rows(
                        "select a.*, r.K_CONTACT from ACTIONS a join ACTI_CONT r on r.K_ACTION = a.K_ACTION where a.F_EVENT_TYPE = 'OPENED'")
                .get(0);
        assertThat(opened.get("DONE")).isEqualTo("1");
        assertThat(opened.get("SUBJECT")).isEqualTo("E-mail opened: Autumn news");
        assertThat((String) opened.get("F_SOURCE_ID")).startsWith("apsis-email:");
        long contact = ((Number) opened.get("K_CONTACT")).longValue();
        assertThat(env.efficy.contact(contact).get("F_LAST_OPENED")).isNotNull();
        long bounced = env.efficy.database().rows("select count(*) as N from CONTACTS where F_BOUNCED = '1'").stream()
                .mapToLong(r -> ((Number) r.get("N")).longValue())
                .sum();
        long bounceEvents =
                env.efficy.database().rows("select count(*) as N from ACTIONS where F_EVENT_TYPE = 'BOUNCED'").stream()
                        .mapToLong(r -> ((Number) r.get("N")).longValue())
                        .sum();
        assertThat(bounced).isEqualTo(bounceEvents).isPositive();
    }

    @Test
    void aCrashAfterWritingAndBeforeCommittingCreatesNoTwin() {
        ForwardingStateStore crashing = new ForwardingStateStore(store) {
            int marks;

            @Override
            public boolean markProcessed(String ns, String id) {
                if (ns.equals("email-event") && ++marks == 150) {
                    throw new IllegalStateException("simulated crash before the events were marked");
                }
                return super.markProcessed(ns, id);
            }

            @Override
            public void markAllProcessed(String ns, Collection<String> ids) {
                for (String id : ids) { // a crash part-way through the batch
                    markProcessed(ns, id);
                }
            }
        };
        CampaignResult campaign;
        try (SyncEngine engine = engine(crashing)) {
            engine.fullSync(FullSyncOptions.defaults());
            campaign = campaign();
            assertThatThrownBy(engine::reverseSync).hasMessageContaining("simulated crash");
        }
        // Empty windows before the campaign were committed; the window with the campaign was not.
        assertThat(store.cursor("reverseSync").map(Instant::parse).orElse(Instant.EPOCH))
                .isBefore(Instant.now().minus(Duration.ofHours(3)));
        try (SyncEngine engine = engine(store)) {
            engine.reverseSync();
        }
        assertThat(historyRecords()).isEqualTo(campaign.events());
    }

    @Test
    void unsubscribeUnticksConsentInEfficyAndForwardSyncDoesNotOptBackIn() {
        try (SyncEngine engine = engine(store)) {
            engine.fullSync(FullSyncOptions.defaults());
            CampaignResult campaign = campaign();
            assertThat(campaign.unsubscribed()).isNotEmpty();
            engine.reverseSync();

            for (String address : campaign.unsubscribed()) {
                long key = (Long) env.efficy
                        .database()
                        .rows("select K_CONTACT from CONTACTS where EMAIL1 = ?", address)
                        .get(0)
                        .get("K_CONTACT");
                assertThat(env.efficy.contact(key).get("F_NEWSLETTER"))
                        .as("newsletter box of %d", key)
                        .isEqualTo("0");
                int before = env.apsis
                        .profile(Emulated.KS, Long.toString(key))
                        .orElseThrow()
                        .history()
                        .size();

                engine.syncContact(key);
                engine.fullSync(FullSyncOptions.defaults());

                List<ConsentRecord> history = env.apsis
                        .profile(Emulated.KS, Long.toString(key))
                        .orElseThrow()
                        .history();
                assertThat(history).hasSize(before);
                assertThat(env.apsis
                                .profile(Emulated.KS, Long.toString(key))
                                .orElseThrow()
                                .consent(Emulated.SECTION, Definitions.NEWSLETTER, Channels.EMAIL))
                        .contains("opt-out");
            }
        }
    }

    @Test
    void eventsMatchingNoContactOrSeveralAreQuarantined() {
        long twin =
                env.efficy.createContact(Map.of("NAME", "Twin", "EMAIL1", "shared@example.com", "F_NEWSLETTER", "1"));
        env.efficy.createContact(Map.of("NAME", "Twin2", "EMAIL1", "shared@example.com"));
        long gone = env.efficy.createContact(Map.of("NAME", "Gone", "EMAIL1", "gone@example.com", "F_NEWSLETTER", "1"));
        try (SyncEngine byAddress = env.engine(b -> b.stateStore(store)
                .exportKeyAttribute(null)
                .reverseWindows(Duration.ofHours(12), Duration.ofDays(2)))) {
            byAddress.syncContact(twin);
            byAddress.syncContact(gone);
            env.efficy.updateContact(gone, Map.of("EMAIL1", "elsewhere@example.com"));
            env.apsis.simulateCampaign(Campaign.newsletter("Only two")
                    .withShares(0, 0, 0, 0, 0)
                    .sentAt(Instant.now().minus(Duration.ofHours(3))));

            SyncReport report = byAddress.reverseSync();

            assertThat(report.quarantined())
                    .extracting(QuarantinedRecord::reason)
                    .anyMatch(r -> r.contains("2 Efficy contacts share the event's address (***@example.com)"))
                    .anyMatch(r -> r.contains("no Efficy contact has the event's address (***@example.com)"))
                    .allMatch(r -> !r.contains("shared@") && !r.contains("gone@"));
            assertThat(store.quarantined()).hasSize(report.quarantined().size());
        }
    }

    @Test
    void eventsQuarantinedForAMissingActiFieldAreWrittenOnALaterRunAfterTheWindowMoved() {
        CampaignResult campaign = syncedCampaign();
        ResponseMapping missingField = ResponseMapping.defaults().withFields("F_SOURCE_ID", "F_NO_SUCH_FIELD");
        try (SyncEngine broken = engineWith(missingField)) {
            assertThat(broken.validateSetup().problems())
                    .anySatisfy(p -> assertThat(p).contains("Acti field F_NO_SUCH_FIELD"));
            SyncReport failed = broken.reverseSync();
            assertThat(failed.quarantined()).hasSize((int) campaign.events());
        }
        assertThat(historyRecords()).isZero();
        assertThat(store.cursor("reverseSync")).isPresent(); // the window has moved past the events

        // Blank means no event type field at all, so the history records can be written.
        ResponseMapping fixed = ResponseMapping.defaults().withFields("F_SOURCE_ID", " ");
        assertThat(fixed.eventTypeField()).isNull();
        try (SyncEngine engine = engineWith(fixed)) {
            assertThat(engine.validateSetup().problems())
                    .noneSatisfy(p -> assertThat(p).contains("Acti field"));
            SyncReport retried = engine.reverseSync();

            assertThat(retried.quarantined()).isEmpty();
            assertThat(historyRecords()).isEqualTo(campaign.events());
            assertThat(store.quarantined()).noneMatch(q -> q.kind().equals("email-event"));
            engine.reverseSync();
            assertThat(historyRecords()).isEqualTo(campaign.events());
        }
    }

    @Test
    void eventsThatKeepFailingAreRetriedOnTheirOwnFiveTimesThenOnlyOnRequest() {
        CampaignResult campaign = syncedCampaign();
        ResponseMapping missingField = ResponseMapping.defaults().withFields("F_SOURCE_ID", "F_NO_SUCH_FIELD");
        try (SyncEngine broken = engineWith(missingField)) {
            for (int run = 0; run < 6; run++) {
                broken.reverseSync();
            }
            assertThat(store.quarantined())
                    .filteredOn(q -> q.kind().equals("email-event"))
                    .hasSize((int) campaign.events())
                    .allSatisfy(q -> assertThat(q.attempts()).isEqualTo(5));
            long requests = env.efficy.journal().total();
            broken.reverseSync();
            assertThat(env.efficy.journal().total() - requests)
                    .as("no look-up for events past their automatic retries")
                    .isLessThan(3);
            broken.reverseSync(true);
            assertThat(store.quarantined())
                    .filteredOn(q -> q.kind().equals("email-event"))
                    .allSatisfy(q -> assertThat(q.attempts()).isEqualTo(6));
        }
    }
}
