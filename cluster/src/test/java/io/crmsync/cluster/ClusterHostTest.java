package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.config.webhook.WebhookKind;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.HostCheck;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster node as a host: every capability runs for a tenant, judged by the emulators' state
 * ({@link HostCheck}): the first full sync (queued by the first poll of an empty store), polls, the
 * stored query as a tag, reverse sync of a campaign, and both webhooks through the node's gate.
 */
class ClusterHostTest {

    private EfficyEmulator efficy;
    private ApsisEmulator apsis;
    private DataSource db;
    private ClusterNode node;

    @BeforeEach
    void start() throws Exception {
        db = ClusterDatabase.fresh();
        efficy = EfficyEmulator.start();
        apsis = ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        efficy.close();
        apsis.close();
    }

    @Test
    void everyCapabilityRunsForATenant() throws Exception {
        HostCheck check = HostCheck.prepare(efficy, apsis);
        Map<String, String> secrets =
                new HashMap<>(Map.of("TENANT_ACME_EFFICY", efficy.apiKey(), "TENANT_ACME_APSIS", apsis.clientSecret()));
        Properties tenant = new Properties();
        tenant.setProperty("efficy.url", efficy.baseUri() + "/crm");
        tenant.setProperty("efficy.customer", efficy.customer());
        tenant.setProperty("efficy.apiKey", "${TENANT_ACME_EFFICY}");
        tenant.setProperty("apsis.baseUrl", apsis.baseUri().toString());
        tenant.setProperty("apsis.clientId", apsis.clientId());
        tenant.setProperty("apsis.clientSecret", "${TENANT_ACME_APSIS}");
        check.keys().forEach(tenant::setProperty);
        check.secrets().forEach((key, value) -> {
            String ref = "TENANT_ACME_" + key.replaceAll("[^A-Za-z]", "").toUpperCase();
            secrets.put(ref, value);
            tenant.setProperty(key, "${" + ref + "}");
        });
        node = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("host")
                .threads(4)
                .heartbeat(Duration.ofMillis(500), 6)
                .pollingInterval(Duration.ofMillis(300))
                .secrets(secrets::get)
                .build();
        node.start();
        node.admin().add("acme", tenant);

        check.awaitProfiles();
        assertThat(journalled("acme"))
                .as("the empty store's first poll queued a full sync")
                .contains("fullSync");
        check.awaitTags();
        long changed = check.changeContact();
        check.awaitChange(changed);
        check.awaitHistory(check.campaign());

        HostCheck.Webhook created = check.newContactWebhook();
        assertThat(node.webhookGate("acme")
                        .handle(WebhookKind.EFFICY, "POST", HostCheck.EFFICY_SECRET, Map.of(), created.body())
                        .status())
                .isEqualTo(200);
        check.awaitProfile(created.key());
        assertThat(node.webhookGate("acme")
                        .handle(
                                WebhookKind.APSIS_TASK,
                                "POST",
                                null,
                                Map.of("Authorization", List.of("Bearer " + HostCheck.TASK_SECRET)),
                                check.taskWebhookBody("cluster-1"))
                        .status())
                .isEqualTo(200);
        check.awaitTask("cluster-1");
        assertThat(check.tasks("cluster-1")).isEqualTo(1);
    }

    private List<String> journalled(String tenant) throws Exception {
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "select job from crmsync_cluster_run where tenant = '" + tenant + "' order by id")) {
            List<String> jobs = new ArrayList<>();
            while (rs.next()) {
                jobs.add(rs.getString(1));
            }
            return jobs;
        }
    }
}
