package io.crmsync.examples.demo;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.export.EmailEventType;
import io.crmsync.config.progress.ProgressLine;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.QueryTagMapping;
import io.crmsync.sync.SetupReport;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.sync.reverse.ResponseAction;
import io.crmsync.sync.reverse.ResponseMapping;
import io.crmsync.sync.reverse.TaskWebhookConfig;
import io.crmsync.sync.reverse.TaskWebhookResult;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Campaign;
import io.crmsync.testkit.apsis.CampaignResult;
import io.crmsync.testkit.apsis.ConsentRecord;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.apsis.ProfileView;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one-command demo: both emulators in this JVM on 127.0.0.1, Efficy seeded with contacts, an
 * H2 state file under the build folder, and every capability shown against them, ending with a
 * table of what each step did and how many API calls it took on each side. Run again, the full
 * sync finds every contact unchanged (the state file remembers them).
 */
public final class Demo {

    static final String TASK_SECRET = "demo-task-webhook-secret-2026";
    static final String GOLD_TAG = "usercreated.tags.gold-customers-p6q7r8s9t0";
    static final long GOLD_QUERY = 31;

    private final PrintStream out;
    private final int contacts;
    private final Path stateFile;
    private final List<String[]> summary = new ArrayList<>();

    /**
     * Creates the demo.
     *
     * @param contacts how many contacts to seed (10,000 in the README's command)
     * @param stateFile the H2 file (without extension) holding the engine's state
     */
    public Demo(PrintStream out, int contacts, Path stateFile) {
        this.out = out;
        this.contacts = contacts;
        this.stateFile = stateFile;
    }

    /** Runs the demo; returns the exit status (0). */
    public int run() {
        out.println("crmsync demo: Efficy Enterprise and APSIS One are both emulated on 127.0.0.1;"
                + " nothing leaves this machine.");
        CallCounter efficyCalls = new CallCounter();
        CallCounter apsisCalls = new CallCounter();
        try (EfficyEmulator efficy = EfficyEmulator.start().seedContacts(contacts, 42);
                ApsisEmulator apsis =
                        ApsisEmulator.builder().limits(ApsisLimits.documented()).start();
                EfficyClient efficyClient = EfficyClient.builder()
                        .baseUri(URI.create(efficy.baseUri() + "/crm"))
                        .customer(efficy.customer())
                        .apiKey(efficy.apiKey())
                        .listener(efficyCalls.efficy())
                        .build();
                JdbcStateStore store = JdbcStateStore.create("jdbc:h2:file:" + stateFile.toAbsolutePath())) {
            ApsisClient apsisClient = ApsisClient.builder()
                    .baseUri(apsis.baseUri())
                    .clientId(apsis.clientId())
                    .clientSecret(apsis.clientSecret())
                    .listener(apsisCalls.apsis())
                    .importPollInterval(Duration.ofMillis(100))
                    .reportPollInterval(Duration.ofMillis(100))
                    .build();
            efficy.addStoredQuery(
                    GOLD_QUERY,
                    "Gold customers, first thousand",
                    "select K_CONTACT from CONTACTS where F_CUSTOMER_TIER = 'Gold' and K_CONTACT <= 1000");
            apsis.addTag(GOLD_TAG, "Gold customers");
            step(
                    "1",
                    "Start the emulators",
                    String.format(
                            "Efficy %s/crm with %,d contacts; APSIS One %s",
                            efficy.baseUri(), efficy.contactCount(), apsis.baseUri()),
                    0,
                    0);

            boolean rerun = store.cursor("demo-runs").isPresent();
            store.saveCursor("demo-runs", Instant.now().toString());
            // The emulators start empty on every run; forget what only made sense for the last one.
            store.deleteCursor("reverseSync");
            store.updateQueryMembers(GOLD_QUERY, Set.of(), store.queryMembers(GOLD_QUERY));
            if (rerun) {
                out.println("  (state from an earlier run found in " + stateFile + ".mv.db: the full sync will find"
                        + " the contacts unchanged)");
            }

            ProgressLine progress = new ProgressLine(out).total(contacts);
            try (SyncEngine engine = SyncEngine.builder()
                    .efficy(efficyClient)
                    .apsis(apsisClient)
                    .section(Definitions.SECTION)
                    .mapping(MappingProvider.of(List.of(
                            FieldMapping.text("EMAIL1", Definitions.EMAIL),
                            FieldMapping.text("MOBILE", Definitions.MOBILE),
                            FieldMapping.text("FIRSTNAME", Definitions.FIRSTNAME),
                            FieldMapping.text("NAME", Definitions.LASTNAME),
                            FieldMapping.text("F_CUSTOMER_TIER", Definitions.CUSTOMER_TIER))))
                    .consentPolicy(ConsentPolicy.of(
                            ConsentMapping.checkbox("F_NEWSLETTER", Definitions.NEWSLETTER, Channels.EMAIL),
                            ConsentMapping.profile(2, Definitions.OFFERS, Channels.EMAIL)))
                    .query(QueryTagMapping.of(GOLD_QUERY, GOLD_TAG))
                    .responseMapping(ResponseMapping.defaults()
                            .with(
                                    EmailEventType.OPENED,
                                    ResponseAction.history(),
                                    ResponseAction.eventTimeTo("F_LAST_OPENED"))
                            .with(
                                    EmailEventType.BOUNCED,
                                    ResponseAction.history(),
                                    ResponseAction.set("F_BOUNCED", "1")))
                    .taskWebhook(TaskWebhookConfig.bearer(TASK_SECRET))
                    .stateStore(store)
                    .listener(progress)
                    .build()) {
                Steps steps = new Steps(efficy, apsis, engine, efficyCalls, apsisCalls);
                steps.validate();
                steps.fullSync(progress);
                if (rerun) {
                    steps.resend(progress);
                }
                steps.realTime();
                steps.emailChange();
                steps.storedQuery();
                steps.campaign();
                steps.taskWebhook();
            }
            printSummary(efficyCalls.count(), apsisCalls.count());
        }
        return 0;
    }

    /** The steps, sharing the emulators, the engine and the call counters. */
    private final class Steps {
        private final EfficyEmulator efficy;
        private final ApsisEmulator apsis;
        private final SyncEngine engine;
        private final CallCounter efficyCalls;
        private final CallCounter apsisCalls;
        private long efficyBefore;
        private long apsisBefore;

        Steps(
                EfficyEmulator efficy,
                ApsisEmulator apsis,
                SyncEngine engine,
                CallCounter efficyCalls,
                CallCounter apsisCalls) {
            this.efficy = efficy;
            this.apsis = apsis;
            this.engine = engine;
            this.efficyCalls = efficyCalls;
            this.apsisCalls = apsisCalls;
        }

        private void begin() {
            efficyBefore = efficyCalls.count();
            apsisBefore = apsisCalls.count();
        }

        private void end(String no, String name, String result) {
            step(no, name, result, efficyCalls.count() - efficyBefore, apsisCalls.count() - apsisBefore);
        }

        void validate() {
            begin();
            SetupReport report = engine.validateSetup();
            end(
                    "2",
                    "Validate the setup",
                    report.isValid()
                            ? "valid: Efficy " + report.efficyVersion() + " as " + report.efficyUser()
                                    + "; section, keyspace, 5 attributes, 2 topics, 1 tag found"
                            : "problems: " + report.problems());
        }

        void fullSync(ProgressLine progress) {
            begin();
            SyncReport r = engine.fullSync(FullSyncOptions.defaults().withImports(2_500, 1_000));
            progress.finish();
            end(
                    "3",
                    "Full sync",
                    String.format(
                            "%,d read: %,d created, %,d updated, %,d unchanged, %,d filtered out, %,d quarantined"
                                    + " now, %,d still refused (invalid e-mail addresses); %,d consent changes",
                            r.seen(),
                            r.created(),
                            r.updated(),
                            r.unchanged(),
                            r.filteredOut(),
                            r.quarantined().size(),
                            r.stillRejected(),
                            r.consentChanges()));
        }

        /** On a re-run only: the emulated APSIS started empty, so send the profiles again. */
        void resend(ProgressLine progress) {
            begin();
            engine.stateStore().clearSnapshots();
            SyncReport r = engine.fullSync(FullSyncOptions.defaults().withImports(2_500, 1_000));
            progress.finish();
            end(
                    "3b",
                    "Re-send (fresh emulator)",
                    String.format(
                            "the emulated APSIS starts empty on every run, so the"
                                    + " snapshots were cleared and %,d profiles sent again",
                            r.created()));
        }

        private long contactWith(String where) {
            List<Map<String, Object>> rows = efficy.database()
                    .rows("select K_CONTACT from CONTACTS where " + where
                            + " and EMAIL1 like '%@%.%' order by K_CONTACT");
            return ((Number) rows.get(0).get("K_CONTACT")).longValue();
        }

        /** Makes sure the emulated APSIS has this contact (it starts empty on every run). */
        private void ensureInApsis(long key) {
            if (apsis.profile(Definitions.CRM_ID, Long.toString(key)).isEmpty()) {
                engine.stateStore().deleteSnapshot(key);
                engine.syncContact(key);
            }
        }

        void realTime() {
            long key = contactWith("F_NEWSLETTER = '0'");
            ensureInApsis(key);
            begin();
            efficy.updateContact(key, Map.of("FIRSTNAME", "Renée"));
            engine.syncContact(key);
            Object first = apsis.profile(Definitions.CRM_ID, Long.toString(key))
                    .orElseThrow()
                    .attribute(Definitions.SECTION, Definitions.FIRSTNAME)
                    .orElse("?");
            end(
                    "4",
                    "Real-time sync",
                    "contact " + key + " renamed in Efficy -> APSIS first name is now \"" + first + "\"");
        }

        void emailChange() {
            long key = contactWith("F_NEWSLETTER = '1'");
            ensureInApsis(key);
            begin();
            String old = (String) efficy.contact(key).get("EMAIL1");
            String now = "moved." + key + "@example.org";
            efficy.updateContact(key, Map.of("EMAIL1", now));
            engine.syncContact(key);
            ProfileView p =
                    apsis.profile(Definitions.CRM_ID, Long.toString(key)).orElseThrow();
            List<String> history = new ArrayList<>();
            for (ConsentRecord c : p.history()) {
                if (c.topic().equals(Definitions.NEWSLETTER)) {
                    history.add(c.type() + " " + c.address());
                }
            }
            end(
                    "5",
                    "E-mail change",
                    "contact " + key + ": " + old + " -> " + now + "; newsletter consent history: "
                            + String.join(", ", history));
        }

        void storedQuery() {
            begin();
            SyncReport r = engine.syncQueries();
            end(
                    "6",
                    "Stored query as tag",
                    String.format(
                            "query %d \"Gold customers, first thousand\": %,d profiles tagged",
                            GOLD_QUERY, r.tagChanges()));
        }

        void campaign() {
            CampaignResult campaign = apsis.simulateCampaign(Campaign.newsletter("Winter news")
                    .withSeed(7)
                    .sentAt(Instant.now().minus(Duration.ofHours(3))));
            begin();
            SyncReport r = engine.reverseSync();
            long history = ((Number) efficy.database()
                            .rows("select count(*) as N from ACTIONS where F_SOURCE_ID like 'apsis-email:%'")
                            .get(0)
                            .get("N"))
                    .longValue();
            String unsubscribed = "";
            if (!campaign.unsubscribed().isEmpty()) {
                String address = campaign.unsubscribed().get(0);
                Map<String, Object> c = efficy.database()
                        .rows("select K_CONTACT, F_NEWSLETTER from CONTACTS where EMAIL1 = ?", address)
                        .get(0);
                unsubscribed = String.format(
                        "; %,d unsubscribed, e.g. contact %s now has F_NEWSLETTER=%s",
                        campaign.unsubscribed().size(), c.get("K_CONTACT"), c.get("F_NEWSLETTER"));
            }
            end(
                    "7",
                    "Campaign and reverse sync",
                    String.format(
                            "%,d events (%,d export rows with repeats) -> %,d history"
                                    + " records in Efficy, %,d repeats skipped%s",
                            campaign.events(), campaign.exportRows(), history, r.duplicates(), unsubscribed));
        }

        void taskWebhook() {
            long key = contactWith("1 = 1");
            begin();
            String body = "{\"delivery_id\":\"demo-" + Instant.now().toEpochMilli() + "\",\"profile_key\":\"" + key
                    + "\",\"subject\":\"Call back about the winter offer\",\"description\":\"Clicked the pricing link\","
                    + "\"assignee\":\"JDOE\",\"due\":\"2026-12-01\"}";
            Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer " + TASK_SECRET));
            TaskWebhookResult first = engine.handleTaskWebhook(body.getBytes(StandardCharsets.UTF_8), headers);
            TaskWebhookResult replay = engine.handleTaskWebhook(body.getBytes(StandardCharsets.UTF_8), headers);
            Map<String, Object> task = efficy.activitiesOf(key).stream()
                    .filter(a -> "Call back about the winter offer".equals(a.get("SUBJECT")))
                    .findFirst()
                    .orElseThrow();
            end(
                    "8",
                    "Task webhook",
                    String.format(
                            "HTTP %d %s: task %s for contact %d assigned to user %s; replay: HTTP %d %s,"
                                    + " still one task",
                            first.status(),
                            first.outcome(),
                            task.get("K_ACTION"),
                            key,
                            task.get("USERS"),
                            replay.status(),
                            replay.outcome()));
        }
    }

    private void step(String no, String name, String result, long efficyRequests, long apsisRequests) {
        out.printf("[%s] %s: %s%n", no, name, result);
        summary.add(new String[] {no, name, String.format("%,d", efficyRequests), String.format("%,d", apsisRequests)});
    }

    private void printSummary(long efficyTotal, long apsisTotal) {
        out.println();
        out.println("Summary                              Efficy requests   APSIS requests");
        for (String[] row : summary) {
            out.printf("  %-2s %-32s %15s %16s%n", row[0], row[1], row[2], row[3]);
        }
        out.printf(
                "     %-32s %15s %16s%n", "total", String.format("%,d", efficyTotal), String.format("%,d", apsisTotal));
        out.println("Run it again: the state file remembers the sync, and the full sync finds the contacts unchanged.");
    }
}
