package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bulk tenant import (#26): each tenant on its own, live or deferred validation, first polls spread out. */
class TenantImportTest {

    private final EfficyEmulator efficy = EfficyEmulator.start();
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final Map<String, String> secrets = new HashMap<>();
    private ClusterNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        efficy.close();
        apsis.close();
    }

    private Properties tenant(String id, String efficyKey) {
        efficy.addCustomer(id, id + "-key").seedContacts(5, id.hashCode());
        apsis.addAccount(id + "-client", id + "-secret");
        String ref = "TENANT_" + id.toUpperCase().replace('-', '_');
        secrets.put(ref + "_EFFICY", efficyKey);
        secrets.put(ref + "_APSIS", id + "-secret");
        Properties p = new Properties();
        p.setProperty("efficy.url", efficy.baseUri() + "/crm");
        p.setProperty("efficy.customer", id);
        p.setProperty("efficy.apiKey", "${" + ref + "_EFFICY}");
        p.setProperty("apsis.baseUrl", apsis.baseUri().toString());
        p.setProperty("apsis.clientId", id + "-client");
        p.setProperty("apsis.clientSecret", "${" + ref + "_APSIS}");
        p.setProperty("apsis.section", Definitions.SECTION);
        p.setProperty("mapping.EMAIL1", Definitions.EMAIL);
        p.setProperty("schedule.pollInterval", "PT5M");
        p.setProperty("schedule.queryInterval", "PT0S");
        return p;
    }

    private ClusterNode node(DataSource db) {
        return ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("importer")
                .secrets(secrets::get)
                .build();
    }

    private static Map<String, Instant> pollsDue(DataSource db) throws Exception {
        Map<String, Instant> due = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "select task_instance, execution_time from scheduled_tasks where task_name = 'crmsync-poll'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                due.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        }
        return due;
    }

    @Test
    void eachTenantIsAddedOrRefusedOnItsOwnAndLiveValidationCanBeDeferred() throws Exception {
        DataSource db = ClusterDatabase.fresh();
        node = node(db);
        node.admin().add("existing", tenant("existing", "existing-key"));
        Properties outside = tenant("outside", "outside-key");
        outside.setProperty("apsis.baseUrl", "https://apsis.example.net");
        List<TenantImport> file = List.of(
                new TenantImport("good", tenant("good", "good-key")),
                new TenantImport("wrong-key", tenant("wrong-key", "not-the-key")),
                new TenantImport("existing", tenant("again", "again-key")),
                new TenantImport("outside", outside),
                new TenantImport("good", tenant("twin", "twin-key")),
                new TenantImport("Bad Id", new Properties()));

        List<TenantImport.Result> live = node.admin().importAll(file, true, 4);
        assertThat(live)
                .extracting(TenantImport.Result::id)
                .containsExactly("good", "wrong-key", "existing", "outside", "good", "Bad Id");
        assertThat(live)
                .extracting(TenantImport.Result::added)
                .containsExactly(true, false, false, false, false, false);
        assertThat(String.join(" ", live.get(1).problems())).containsIgnoringCase("efficy");
        assertThat(String.join(" ", live.get(2).problems())).contains("exists already");
        assertThat(String.join(" ", live.get(3).problems())).contains("apsis.baseUrl");
        assertThat(String.join(" ", live.get(4).problems())).contains("more than once");
        assertThat(String.join(" ", live.get(5).problems())).contains("tenant id");
        assertThat(node.admin().list()).extracting(Tenant::id).containsExactlyInAnyOrder("existing", "good");

        List<TenantImport.Result> deferred =
                node.admin().importAll(List.of(new TenantImport("late", tenant("late", "not-the-key"))), false, 1);
        assertThat(deferred.get(0).added())
                .as("a wrong key is found by its first run, not now")
                .isTrue();
        List<TenantImport.Result> refusedOffline =
                node.admin().importAll(List.of(new TenantImport("outside-2", outside)), false, 1);
        assertThat(refusedOffline.get(0).added())
                .as("URLs are checked offline too")
                .isFalse();
    }

    @Test
    void tenantsAddedTogetherDoNotAllComeDueTogether() throws Exception {
        DataSource db = ClusterDatabase.fresh();
        node = node(db);
        List<TenantImport> file = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            file.add(new TenantImport("t" + i, tenant("t" + i, "t" + i + "-key")));
        }
        Instant before = Instant.now();
        assertThat(node.admin().importAll(file, false, 4)).allMatch(TenantImport.Result::added);
        Map<String, Instant> due = pollsDue(db);
        assertThat(due).hasSize(40);
        assertThat(due.values()).allSatisfy(at -> assertThat(at).isBetween(before, before.plus(Duration.ofMinutes(6))));
        long distinctMinutes = due.values().stream()
                .map(at -> Duration.between(before, at).toMinutes())
                .distinct()
                .count();
        assertThat(distinctMinutes).as("spread over the five-minute interval").isGreaterThanOrEqualTo(4);
    }
}
