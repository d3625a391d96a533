package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.crmsync.apsis.AccountBudget;
import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.profile.ProfileKey;
import io.crmsync.config.ConfigException;
import io.crmsync.config.webhook.WebhookAnswer;
import io.crmsync.config.webhook.WebhookKind;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.RunStoppedException;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.http.Fault;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterNodeTest {

    private EfficyEmulator efficy;
    private ApsisEmulator apsis;
    private DataSource db;
    private final Map<String, String> secrets = new HashMap<>();
    private final Map<String, EfficyEmulator> customers = new HashMap<>();
    private final Map<String, ApsisEmulator> accounts = new HashMap<>();
    private ClusterNode a;
    private ClusterNode b;

    @BeforeEach
    void start() throws Exception {
        db = ClusterDatabase.fresh();
        efficy = EfficyEmulator.start();
        apsis = ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    }

    @AfterEach
    void stop() {
        for (ClusterNode n : new ClusterNode[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        efficy.close();
        apsis.close();
    }

    private ClusterNode node(String name) {
        ClusterNode n = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name(name)
                .threads(4)
                .heartbeat(Duration.ofMillis(500), 6)
                .pollingInterval(Duration.ofMillis(500))
                .secrets(secrets::get)
                .build();
        n.start();
        return n;
    }

    /** A customer and an account of its own, and the tenant's properties with secret references. */
    private Properties tenant(String id, int contacts) {
        EfficyEmulator customer = efficy.addCustomer(id, id + "-efficy-key").seedContacts(contacts, id.hashCode());
        ApsisEmulator account = apsis.addAccount(id + "-client", id + "-apsis-secret");
        customers.put(id, customer);
        accounts.put(id, account);
        String ref = "TENANT_" + id.toUpperCase().replace('-', '_');
        secrets.put(ref + "_EFFICY", id + "-efficy-key");
        secrets.put(ref + "_APSIS", id + "-apsis-secret");
        secrets.put(ref + "_HOOK", id + "-hook-secret-x");
        Properties p = new Properties();
        p.setProperty("efficy.url", efficy.baseUri() + "/crm");
        p.setProperty("efficy.customer", id);
        p.setProperty("efficy.apiKey", "${" + ref + "_EFFICY}");
        p.setProperty("apsis.baseUrl", apsis.baseUri().toString());
        p.setProperty("apsis.clientId", id + "-client");
        p.setProperty("apsis.clientSecret", "${" + ref + "_APSIS}");
        p.setProperty("apsis.section", Definitions.SECTION);
        p.setProperty("mapping.EMAIL1", Definitions.EMAIL);
        p.setProperty("mapping.FIRSTNAME", Definitions.FIRSTNAME);
        p.setProperty("consent.1.checkbox", "F_NEWSLETTER");
        p.setProperty("consent.1.topic", Definitions.NEWSLETTER);
        p.setProperty("serve.efficyWebhookSecret", "${" + ref + "_HOOK}");
        p.setProperty("serve.pollInterval", "PT1S");
        p.setProperty("serve.reverseInterval", "PT0S");
        p.setProperty("serve.queryInterval", "PT0S");
        props.put(id, p);
        return p;
    }

    /** An Efficy webhook call to a node, as its HTTP side makes it (secret in the path). */
    private static WebhookAnswer efficyWebhook(ClusterNode node, String tenant, String secret, byte[] body) {
        return node.webhookGate(tenant).handle(WebhookKind.EFFICY, "POST", secret, Map.of(), body);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void tenantsSyncIntoTheirOwnAccountsOnlyAndTheirStateIsPurgedOnRemoval() throws Exception {
        a = node("node-a");
        b = node("node-b");
        Properties acme = tenant("acme", 30);
        Properties beta = tenant("beta", 20);
        a.admin().add("acme", acme);
        b.admin().add("beta", beta);

        assertThat(a.admin().requestFullSync("acme", FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE)))
                .isTrue();
        assertThat(a.admin().requestFullSync("acme", FullSyncOptions.defaults()))
                .isFalse();
        b.admin().requestFullSync("beta", FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));
        await(
                "both full syncs",
                () -> accounts.get("acme").profileCount() >= 28
                        && accounts.get("beta").profileCount() >= 18
                        && !a.admin().fullSyncPending("acme")
                        && !a.admin().fullSyncPending("beta"));

        // Contact keys overlap (both start at 1): each account holds its own customer's data only.
        String acmeEmail = accounts.get("acme")
                .profile(Definitions.CRM_ID, "1")
                .orElseThrow()
                .attributes()
                .toString();
        assertThat(acmeEmail)
                .contains(String.valueOf(customers.get("acme").contact(1).get("EMAIL1")));
        assertThat(accounts.get("beta").profileCount()).isLessThanOrEqualTo(20);
        assertThat(apsis.profileCount()).isZero();
        assertThat(efficy.journal().entries()).isNotNull();

        // A change reaches its tenant through the poller running on either node.
        long key = customers.get("beta").createContact(Map.of("NAME", "New", "EMAIL1", "new.beta@example.com"));
        await(
                "the poll to carry beta's new contact",
                () -> accounts.get("beta")
                        .profile(Definitions.CRM_ID, String.valueOf(key))
                        .isPresent());
        assertThat(accounts.get("acme")
                        .profile(Definitions.CRM_ID, String.valueOf(key))
                        .map(p -> p.attributes().toString())
                        .orElse(""))
                .doesNotContain("new.beta@example.com");

        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "select count(*) from crmsync_cluster_run where outcome = 'succeeded' and job = 'fullSync'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        TenantStateStores stores = new TenantStateStores(db);
        assertThat(stores.exists("beta")).isTrue();
        assertThat(count("select count(*) from crmsync_cluster_run where tenant = ?", "beta"))
                .isPositive();
        assertThat(a.admin().remove("beta", true)).isTrue();
        assertThat(stores.exists("beta")).isFalse();
        assertThat(count("select count(*) from crmsync_cluster_run where tenant = ?", "beta"))
                .as("the purge erases the tenant's journalled runs too")
                .isZero();
        assertThat(a.admin().find("beta")).isEmpty();
        assertThat(a.admin().list()).extracting(Tenant::id).containsExactly("acme");

        // Added again after the purge: its state starts empty, made anew even where it was known.
        b.admin().add("beta", beta);
        await("a node to make beta's state anew at its first poll", () -> stores.exists("beta"));
        assertThat(stores.open("beta").cursor("poll")).isEmpty();
        assertThat(stores.open("beta").cursor("poll")).isEmpty();
    }

    @Test
    void aTenantIsRefusedWithEveryProblemWhenItsSetUpIsInvalidOrItHoldsALiteralSecret() throws Exception {
        a = node("node-a");
        Properties acme = tenant("acme", 1);
        Properties literal = (Properties) acme.clone();
        literal.setProperty("apsis.clientSecret", "acme-apsis-secret");
        Properties wrong = (Properties) acme.clone();
        secrets.put("TENANT_ACME_WRONG", "not-the-key");
        wrong.setProperty("efficy.apiKey", "${TENANT_ACME_WRONG}");
        wrong.setProperty("mapping.NO_SUCH_FIELD", Definitions.EMAIL);

        assertThatThrownBy(() -> a.admin().add("acme", literal))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("apsis.clientSecret holds a literal secret")
                .hasMessageNotContaining("acme-apsis-secret");
        assertThatThrownBy(() -> a.admin().add("acme", wrong))
                .isInstanceOf(TenantSetupException.class)
                .hasMessageContaining("was not stored");
        assertThatThrownBy(() -> a.admin().add("Bad_Id", acme))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("tenant id 'Bad_Id'");
        assertThat(a.admin().list()).isEmpty();
        assertThat(new TenantStateStores(db).exists("acme"))
                .as("a refused tenant leaves no schema")
                .isFalse();
        Tenant added = a.admin().add("acme", acme);
        assertThat(added.toString()).doesNotContain("${");
    }

    @Test
    void webhooksAreCheckedThenQueuedOncePerDeliveryAndReachTheirTenant() throws Exception {
        a = node("node-a");
        Properties acme = tenant("acme", 3);
        acme.setProperty("serve.pollInterval", "PT0S");
        a.admin().add("acme", acme);
        long key = customers.get("acme").createContact(Map.of("NAME", "Hook", "EMAIL1", "hook@example.com"));
        byte[] body = ("{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,\"key\":" + key
                        + ",\"operation\":\"Create\",\"user\":\"APIUSER\",\"date\":\"2026-11-29T08:00:00Z\",\"fields\":{}}]}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(efficyWebhook(a, "acme", "wrong", body).status()).isEqualTo(401);
        assertThat(efficyWebhook(a, "nobody", "acme-hook-secret-x", body).status())
                .isEqualTo(404);
        WebhookAnswer ok = efficyWebhook(a, "acme", "acme-hook-secret-x", body);
        assertThat(ok.status()).isEqualTo(200);
        await(
                "the webhook's contact",
                () -> accounts.get("acme")
                        .profile(Definitions.CRM_ID, String.valueOf(key))
                        .isPresent());
        await("the delivery to be counted", () -> a.stats().deliveriesHandled() == 1);
        assertThat(efficyWebhook(a, "acme", "acme-hook-secret-x", body).status())
                .isEqualTo(200);
        assertThat(efficyWebhook(a, "acme", "acme-hook-secret-x", "not json".getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aQueuedEfficyDeliveryKeepsTheContactKeysAndNoFieldValues() throws Exception {
        a = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("idle")
                .secrets(secrets::get)
                .build(); // not started: deliveries wait
        a.admin().add("acme", tenant("acme", 1));
        byte[] body = ("{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,\"key\":7,"
                        + "\"operation\":\"Update\",\"user\":\"JDOE\",\"date\":\"2026-11-29T08:00:00Z\",\"fields\":"
                        + "{\"EMAIL1\":\"jane.doe@example.com\",\"NAME\":\"Doe\"}},{\"table\":10000,\"key\":3,\"operation\":\"Create\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(efficyWebhook(a, "acme", "acme-hook-secret-x", body).status())
                .isEqualTo(200);
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("select task_data from scheduled_tasks where task_name = 'crmsync-webhook'")) {
            rs.next();
            String data = new String(rs.getBytes(1), StandardCharsets.UTF_8);
            assertThat(data)
                    .contains("\\\"key\\\":7")
                    .contains("Update")
                    .doesNotContain("jane.doe")
                    .doesNotContain("Doe")
                    .doesNotContain("JDOE")
                    .doesNotContain("10000");
        }
    }

    @Test
    void aRunStopsWritingOnceItsExecutionIsPickedAgainElsewhere() throws Exception {
        a = node("node-a");
        ExecutionLeases leases = new ExecutionLeases(db, "node-a");
        try (Connection c = db.getConnection()) {
            c.createStatement()
                    .execute("insert into scheduled_tasks (task_name, task_instance, execution_time, picked,"
                            + " picked_by, version) values ('crmsync-poll', 'zeta', now(), true, 'node-a', 7)");
        }
        ExecutionLeases.Held held = new ExecutionLeases.Held("crmsync-poll", "zeta", 7);
        assertThat(leases.holds(held)).isTrue();
        try (Connection c = db.getConnection()) {
            c.createStatement()
                    .execute(
                            "update scheduled_tasks set picked_by = 'node-b', version = 8 where task_instance = 'zeta'");
        }
        assertThat(leases.holds(held)).isFalse();
        assertThat(leases.fenced("zeta", new InMemoryStateStore())
                        .tryLease("poll", "x", Instant.now(), Duration.ofSeconds(1)))
                .isFalse();
    }

    @Test
    void aDeadNodesRunIsRevivedAheadOfWorkThatFellDueAfterIt() throws Exception {
        // Built but not started: the set-up below is in place before the node fetches anything.
        a = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("node-a")
                .threads(1)
                .heartbeat(Duration.ofMillis(500), 6)
                .pollingInterval(Duration.ofMillis(500))
                .secrets(secrets::get)
                .build();
        a.admin().add("acme", tenant("acme", 2));
        for (int i = 0; i < 4; i++) {
            a.admin().add("b" + i, tenant("b" + i, 1));
        }
        try (Connection c = db.getConnection();
                Statement st = c.createStatement()) {
            // acme's full sync was running on a node that died an hour ago; four polls fell due since.
            st.execute("delete from scheduled_tasks where task_instance = 'acme'");
            st.execute(
                    "update scheduled_tasks set execution_time = now() - interval '1 minute' where task_name = 'crmsync-poll'");
            st.execute(
                    "insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, picked_by,"
                            + " last_heartbeat, version) values ('crmsync-full-sync', 'acme', convert_to('{\"tenant\":\"acme\","
                            + "\"mode\":\"PER_PROFILE\",\"retryQuarantined\":false}', 'UTF8'), now() - interval '1 hour', true, 'gone',"
                            + " now() - interval '1 hour', 3)");
        }
        a.start();
        await("acme's revived full sync to end", () -> journalled("acme", "fullSync") > 0);
        assertThat(accounts.get("acme").profileCount())
                .as("acme's profiles after the revived full sync")
                .isPositive();

        // One thread, one execution fetched at a time: the revived run goes before the polls that
        // fell due after it (the first fetch may precede the dead check); revived at "now" it would
        // go after all four.
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "select count(*) from crmsync_cluster_run where job = 'poll' and id < (select min(id) from"
                                        + " crmsync_cluster_run where tenant = 'acme' and job = 'fullSync')")) {
            rs.next();
            assertThat(rs.getInt(1))
                    .as("polls that ran before the revived full sync")
                    .isLessThan(4);
        }
    }

    @Test
    void aDeadNodesRunStartsOnTheReservedThreadWhileOrdinaryWorkHoldsEveryOtherThread() throws Exception {
        // The busy tenants' Efficy answers after two minutes: their runs hold their threads meanwhile.
        try (EfficyEmulator slow = EfficyEmulator.start()) {
            a = ClusterNode.builder(db)
                    .tenantUrls(EmulatorUrls.LOOPBACK)
                    .name("node-a")
                    .threads(1)
                    .reservedThreads(1)
                    .heartbeat(Duration.ofMillis(500), 6)
                    .pollingInterval(Duration.ofMillis(200))
                    .secrets(secrets::get)
                    .build();
            a.admin().add("acme", tenant("acme", 2));
            for (String id : List.of("busy1", "busy2")) {
                Properties p = tenant(id, 1);
                slow.addCustomer(id, id + "-efficy-key").seedContacts(1, 7);
                p.setProperty("efficy.url", slow.baseUri() + "/crm");
                a.admin().add(id, p);
            }
            try (Connection c = db.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("delete from scheduled_tasks where task_instance = 'acme'");
            }
            slow.faults().next(10_000, Fault.delay(Duration.ofMinutes(2)));
            a.start();
            await(
                    "a busy run on the ordinary thread, and ordinary work put back",
                    () -> count(
                                            "select count(*) from crmsync_cluster_run where tenant like 'busy%' and ended_at is null")
                                    == 1
                            && a.stats().executionsDeferred() > 0);

            // acme's full sync was running on a node that has died.
            try (Connection c = db.getConnection();
                    Statement st = c.createStatement()) {
                st.execute("insert into scheduled_tasks (task_name, task_instance, task_data, execution_time, picked,"
                        + " picked_by, last_heartbeat, version, priority) values ('crmsync-full-sync', 'acme',"
                        + " convert_to('{\"tenant\":\"acme\",\"mode\":\"PER_PROFILE\",\"retryQuarantined\":false}',"
                        + " 'UTF8'), now() - interval '1 hour', true, 'gone', now() - interval '1 hour', 3, 50)");
                st.execute("insert into crmsync_cluster_run (tenant, job, node, execution_version, started_at) values"
                        + " ('acme', 'fullSync', 'gone', 3, now() - interval '1 hour')");
            }
            await(
                    "acme's revived full sync to end",
                    () -> count("select count(*) from crmsync_cluster_run where tenant = 'acme' and node = 'node-a'"
                                    + " and outcome = 'succeeded'")
                            == 1);

            assertThat(count("select count(*) from crmsync_cluster_run where tenant like 'busy%'"))
                    .as("ordinary runs: one, still holding the only ordinary thread")
                    .isEqualTo(1);
            assertThat(count("select count(*) from crmsync_cluster_run where tenant like 'busy%' and ended_at is null"))
                    .isEqualTo(1);
            assertThat(accounts.get("acme").profileCount()).isEqualTo(2);
            assertThat(count("select count(*) from crmsync_cluster_run where node = 'gone' and outcome = 'abandoned'"
                            + " and detail like '%revived by node-a'"))
                    .as("the dead node's run, closed when its execution was revived")
                    .isEqualTo(1);
            assertThat(count("select count(*) from scheduled_tasks where priority = " + Revivals.REVIVED))
                    .as("nothing keeps the revived priority once it runs")
                    .isZero();
        }
    }

    private long journalled(String tenant, String job) {
        return count(
                "select count(*) from crmsync_cluster_run where tenant = ? and job = ? and ended_at is not null",
                tenant,
                job);
    }

    private static final byte[] ACME_UPDATE = ("{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,"
                    + "\"key\":1,\"operation\":\"Update\",\"user\":\"APIUSER\",\"date\":\"2026-11-29T08:00:00Z\","
                    + "\"fields\":{}}]}")
            .getBytes(StandardCharsets.UTF_8);

    /** A started node that gives a task up after three quick attempts, and tenant acme on it, polls off. */
    private ClusterNode quicklyGivingUpNodeWithAcme() {
        ClusterNode n = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("node-a")
                .threads(2)
                .heartbeat(Duration.ofMillis(500), 6)
                .pollingInterval(Duration.ofMillis(200))
                .retries(Duration.ofMillis(100), Duration.ofMillis(300), 3)
                .secrets(secrets::get)
                .build();
        n.start();
        Properties acme = tenant("acme", 1);
        acme.setProperty("serve.pollInterval", "PT0S");
        n.admin().add("acme", acme);
        return n;
    }

    @Test
    void aDeliveryThatKeepsFailingIsGivenUpAfterItsLastAttemptAndCounted() throws Exception {
        a = quicklyGivingUpNodeWithAcme();
        // The node can no longer resolve acme's Efficy key: every run of acme's work now fails.
        secrets.remove("TENANT_ACME_EFFICY");
        byte[] body = ACME_UPDATE;
        assertThat(efficyWebhook(a, "acme", "acme-hook-secret-x", body).status())
                .isEqualTo(200);

        await("the delivery to be given up", () -> a.stats().tasksAbandoned() == 1);
        assertThat(executions("crmsync-webhook", "acme/%"))
                .as("the given-up delivery's row")
                .isZero();
        assertThat(a.stats().deliveriesHandled()).isZero();
        assertThat(a.admin().find("acme")).as("the tenant itself stays").isPresent();
    }

    @Test
    void failedWorkWaitsTwiceAsLongEachTimeUpToTheLongestWait() {
        TaskRetries r = new TaskRetries(Duration.ofSeconds(10), Duration.ofMinutes(1), 30);
        assertThat(List.of(r.delay(1), r.delay(2), r.delay(3), r.delay(4), r.delay(29)))
                .containsExactly(
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(40),
                        Duration.ofMinutes(1),
                        Duration.ofMinutes(1));
        assertThatThrownBy(() -> ClusterNode.builder(db).retries(Duration.ofMinutes(2), Duration.ofMinutes(1), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longest wait");
        assertThatThrownBy(() -> ClusterNode.builder(db).retries(Duration.ofSeconds(1), Duration.ofMinutes(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry attempts must be 1..1000, was 0");
    }

    @Test
    void aRunsEndIsJournalledAsItsOutcomeOnlyWhileItsNodeStillHoldsTheExecution() throws Exception {
        ClusterSchema.apply(db);
        RunJournal journal = new RunJournal(db, "node-a");
        try (Connection c = db.getConnection()) {
            c.createStatement()
                    .execute("insert into scheduled_tasks (task_name, task_instance, execution_time, picked,"
                            + " picked_by, version) values ('crmsync-poll', 'zeta', now(), true, 'node-a', 7)");
        }
        ExecutionLeases.Held held = new ExecutionLeases.Held("crmsync-poll", "zeta", 7);
        long first = journal.started("zeta", "poll", 7, null);
        assertThat(journal.endedIfHeld(first, held, "succeeded", null, "picked elsewhere"))
                .contains(true);

        // Node a finishes its work, and stalls before journalling it; node b takes the execution over.
        long second = journal.started("zeta", "poll", 7, null);
        try (Connection c = db.getConnection()) {
            c.createStatement()
                    .execute(
                            "update scheduled_tasks set picked_by = 'node-b', version = 9 where task_instance = 'zeta'");
        }
        assertThat(journal.endedIfHeld(second, held, "succeeded", null, "picked elsewhere"))
                .contains(false);
        assertThat(journal.endedIfHeld(-1, held, "succeeded", null, "picked elsewhere"))
                .as("a start never journalled")
                .isEmpty();
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "select outcome, detail, ended_at is not null from crmsync_cluster_run where tenant = 'zeta' order by id")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("succeeded");
            assertThat(rs.getString(2)).isNull();
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("superseded");
            assertThat(rs.getString(2)).isEqualTo("picked elsewhere");
            assertThat(rs.getBoolean(3)).isTrue();
        }
    }

    @Test
    void twoNodesSharingOneAccountBudgetStayWithinItsRate() throws Exception {
        ClusterSchema.apply(db);
        SharedAccountBudget one = new SharedAccountBudget(db, SharedAccountBudget.DEFAULT_RATE);
        SharedAccountBudget two = new SharedAccountBudget(db, SharedAccountBudget.DEFAULT_RATE);
        List<Long> starts = Collections.synchronizedList(new ArrayList<>());
        Runnable hammer1 = () -> reserveAndSleep(one, starts);
        Runnable hammer2 = () -> reserveAndSleep(two, starts);
        Thread[] threads = new Thread[8];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(i % 2 == 0 ? hammer1 : hammer2);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Collections.sort(starts);
        int worst = busiestSecond(starts);
        assertThat(starts).hasSize(8 * 40);
        // Slots are 1/90 s apart by the database's clock; the margin to 100 absorbs late wake-ups.
        assertThat(worst).isLessThanOrEqualTo(100);
    }

    @Test
    void twoNodesTogetherSendNoMoreThanTheAccountsLimitToApsis() throws Exception {
        ClusterSchema.apply(db);
        ApsisEmulator account = apsis.addAccount("shared-client", "shared-secret");
        account.limits(ApsisLimits.documented());
        List<Long> slots = Collections.synchronizedList(new ArrayList<>());
        List<ApsisClient> nodes = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            SharedAccountBudget budget = new SharedAccountBudget(db, SharedAccountBudget.DEFAULT_RATE);
            AccountBudget recorded = id -> {
                Duration wait = budget.reserve(id);
                slots.add(System.nanoTime() + wait.toNanos());
                return wait;
            };
            nodes.add(ApsisClient.builder()
                    .baseUri(apsis.baseUri())
                    .clientId("shared-client")
                    .clientSecret("shared-secret")
                    .accountBudget(recorded)
                    .build());
        }
        AtomicInteger next = new AtomicInteger();
        int perThread = 25;
        Thread[] threads = new Thread[24];
        for (int i = 0; i < threads.length; i++) {
            ApsisClient client = nodes.get(i % 2);
            threads[i] = new Thread(() -> {
                for (int k = 0; k < perThread; k++) {
                    client.profiles()
                            .create(
                                    new ProfileKey(Definitions.CRM_ID, Integer.toString(next.incrementAndGet())),
                                    Definitions.SECTION);
                }
            });
        }
        Instant start = Instant.now();
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        List<Long> arrivals = apsis.journal().entries().stream()
                .filter(e -> e.route().contains("/profiles") && e.method().equals("POST"))
                .map(e -> e.at().getEpochSecond() * 1_000_000_000L + e.at().getNano())
                .sorted()
                .toList();
        List<Long> granted = slots.stream().sorted().toList();
        long throttled = apsis.journal().entries().stream()
                .filter(e -> e.status() == 429)
                .count();
        System.out.printf(
                "two nodes, one account: %d requests in %.1f s (%.1f/s); at most %d slots granted in any"
                        + " second, %d arrivals at APSIS in any second; %d x 429%n",
                arrivals.size(),
                seconds,
                arrivals.size() / seconds,
                busiestSecond(granted),
                busiestSecond(arrivals),
                throttled);
        assertThat(arrivals).hasSize(threads.length * perThread);
        // What the budget controls: when each request may go, across both nodes.
        assertThat(busiestSecond(granted)).isLessThanOrEqualTo(100);
        // What APSIS sees, with its documented limit of 100 a second enforced: no request refused.
        assertThat(throttled).isZero();
        assertThat(account.profileCount()).isEqualTo(threads.length * perThread);
    }

    /** The most of these instants (nanoseconds) in any one-second window. */
    private static int busiestSecond(List<Long> sorted) {
        int worst = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= 1_000_000_000L) {
                j++;
            }
            worst = Math.max(worst, i - j + 1);
        }
        return worst;
    }

    @Test
    void aPausedTenantsDeliveriesWaitAndItsPollsStopUntilItResumes() throws Exception {
        a = node("node-a");
        Properties acme = tenant("acme", 2);
        a.admin().add("acme", acme);
        assertThat(executions("crmsync-poll", "acme")).isEqualTo(1);

        a.admin().pause("acme");
        await("the poll to be off the schedule", () -> executions("crmsync-poll", "acme") == 0);
        assertThat(a.admin().find("acme").orElseThrow().paused()).isTrue();
        long key = customers.get("acme").createContact(Map.of("NAME", "Paused", "EMAIL1", "paused@example.com"));
        byte[] body = ("{\"database\":\"acme\",\"version\":\"1\",\"records\":[{\"table\":11000,\"key\":" + key
                        + ",\"operation\":\"Create\",\"user\":\"APIUSER\",\"date\":\"2026-11-29T08:00:00Z\",\"fields\":{}}]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(efficyWebhook(a, "acme", "acme-hook-secret-x", body).status())
                .isEqualTo(200);
        Thread.sleep(2_000);
        assertThat(accounts.get("acme").profile(Definitions.CRM_ID, String.valueOf(key)))
                .isEmpty();
        assertThat(executions("crmsync-webhook", "acme/efficy/%")).isEqualTo(1);

        a.admin().resume("acme");
        assertThat(executions("crmsync-poll", "acme")).isEqualTo(1);
        // The waiting delivery looks again a minute later; the poll (due a second after resume) carries the change.
        await(
                "the change after resume",
                () -> accounts.get("acme")
                        .profile(Definitions.CRM_ID, String.valueOf(key))
                        .isPresent());
    }

    @Test
    void aPausedTenantsDeliveryIsGivenUpAfterTheLastAttemptLikeAFailedOne() throws Exception {
        a = quicklyGivingUpNodeWithAcme();
        a.admin().pause("acme");
        byte[] body = ACME_UPDATE;
        assertThat(efficyWebhook(a, "acme", "acme-hook-secret-x", body).status())
                .isEqualTo(200);

        await("the paused tenant's delivery to be given up", () -> a.stats().tasksAbandoned() == 1);
        assertThat(executions("crmsync-webhook", "acme/%"))
                .as("no delivery is kept for ever")
                .isZero();
        assertThat(a.stats().deliveriesHandled()).isZero();
    }

    @Test
    void taskDataIsJsonAndOneFullSyncPerTenantIsQueued() throws Exception {
        a = node("node-a");
        a.admin().add("acme", tenant("acme", 1));
        a.close();
        a = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("idle")
                .secrets(secrets::get)
                .build(); // not started: nothing runs
        assertThat(a.admin().requestFullSync("acme", FullSyncOptions.defaults().withMode(SyncMode.IMPORT)))
                .isTrue();
        assertThat(a.admin().requestFullSync("acme", FullSyncOptions.defaults()))
                .isFalse();
        assertThat(a.admin().fullSyncPending("acme")).isTrue();
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "select task_data from scheduled_tasks where task_name = 'crmsync-full-sync' and task_instance = 'acme'")) {
            rs.next();
            String json = new String(rs.getBytes(1), StandardCharsets.UTF_8);
            assertThat(new ObjectMapper().readTree(json).path("tenant").asText())
                    .isEqualTo("acme");
            assertThat(json).contains("\"mode\":\"IMPORT\"").doesNotContain("secret");
        }
        assertThatThrownBy(() -> a.admin().requestFullSync("nobody", FullSyncOptions.defaults()))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("no tenant nobody");
    }

    @Test
    void theEngineCacheClosesTheLeastRecentlyUsedIdleEngineBeyondItsCapacity() throws Exception {
        ClusterSchema.apply(db);
        tenant("acme", 1);
        tenant("beta", 1);
        TenantStateStores stores = new TenantStateStores(db);
        try (TenantEngines engines = new TenantEngines(
                1,
                new TenantConfigs(secrets::get, SecretNamespace.defaults(), EmulatorUrls.LOOPBACK, null),
                stores,
                new ExecutionLeases(db, "n"),
                AccountBudget.unshared(),
                "n",
                Duration.ofSeconds(3))) {
            Tenant acme =
                    new Tenant("acme", Tenant.of("acme", tenantProps("acme")).config(), false, 1);
            Tenant beta =
                    new Tenant("beta", Tenant.of("beta", tenantProps("beta")).config(), false, 1);
            SyncEngine first;
            try (TenantEngines.Use use = engines.use(acme)) {
                first = use.engine();
                try (TenantEngines.Use other = engines.use(beta)) {
                    assertThat(engines.size())
                            .as("engines in use are never evicted")
                            .isEqualTo(2);
                    assertThat(other.engine()).isNotSameAs(first);
                }
                assertThat(engines.size())
                        .as("the idle one goes, though the other is older")
                        .isEqualTo(1);
            }
            try (TenantEngines.Use use = engines.use(beta)) {
                assertThat(engines.size()).isEqualTo(1);
                assertThat(use.engine().syncContact(1).seen()).isEqualTo(1);
            }
            assertThatThrownBy(() -> first.syncContact(1)).isInstanceOf(RunStoppedException.class);
            Tenant acmeV2 = new Tenant("acme", acme.config(), false, 2);
            try (TenantEngines.Use use = engines.use(acmeV2)) {
                assertThat(use.engine()).isNotSameAs(first);
            }
        }
    }

    @Test
    void oneTenantsSlowEngineBuildHoldsUpNoOtherTenantAndAFailedBuildIsTriedAgain() throws Exception {
        ClusterSchema.apply(db);
        tenant("slow", 1);
        tenant("fast", 1);
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean refusing = new AtomicBoolean(true);
        SecretResolver resolver = name -> {
            if (name.equals("TENANT_SLOW_EFFICY")) {
                building.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (refusing.get()) {
                    return null; // unknown: the build fails
                }
            }
            return secrets.get(name);
        };
        try (TenantEngines engines = new TenantEngines(
                4,
                new TenantConfigs(resolver, SecretNamespace.defaults(), EmulatorUrls.LOOPBACK, null),
                new TenantStateStores(db),
                new ExecutionLeases(db, "n"),
                AccountBudget.unshared(),
                "n",
                Duration.ofSeconds(3))) {
            Tenant slow =
                    new Tenant("slow", Tenant.of("slow", tenantProps("slow")).config(), false, 1);
            Tenant fast =
                    new Tenant("fast", Tenant.of("fast", tenantProps("fast")).config(), false, 1);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<Object> first = pool.submit(() -> {
                    try (TenantEngines.Use use = engines.use(slow)) {
                        return use.engine();
                    }
                });
                assertThat(building.await(30, TimeUnit.SECONDS)).isTrue();
                Future<Object> waiting = pool.submit(() -> {
                    try (TenantEngines.Use use = engines.use(slow)) {
                        return use.engine();
                    }
                });
                // While slow's engine is being built, fast's is built and used.
                Future<Long> fastRun = pool.submit(() -> {
                    try (TenantEngines.Use use = engines.use(fast)) {
                        return use.engine().syncContact(1).seen();
                    }
                });
                assertThat(fastRun.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
                assertThat(first.isDone()).as("slow's build, still held").isFalse();
                release.countDown();
                // Both runs that wanted slow's engine get the one build's failure; nothing is cached for it.
                for (Future<Object> f : List.of(first, waiting)) {
                    assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(ConfigException.class)
                            .hasMessageContaining("TENANT_SLOW_EFFICY");
                }
                assertThat(engines.size()).isEqualTo(1);
                refusing.set(false);
                try (TenantEngines.Use use = engines.use(slow)) {
                    assertThat(use.engine().syncContact(1).seen())
                            .as("the next use builds again")
                            .isEqualTo(1);
                }
                assertThat(engines.size()).isEqualTo(2);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    private final Map<String, Properties> props = new HashMap<>();

    private Properties tenantProps(String id) {
        return props.get(id);
    }

    private long executions(String task, String instanceLike) {
        return count(
                "select count(*) from scheduled_tasks where task_name = ? and task_instance like ?",
                task,
                instanceLike);
    }

    /** A count query's answer, its parameters strings. */
    private long count(String sql, String... params) {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void reserveAndSleep(SharedAccountBudget budget, List<Long> starts) {
        for (int i = 0; i < 40; i++) {
            Duration wait = budget.reserve("shared-account");
            try {
                Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            starts.add(System.nanoTime());
        }
    }
}
