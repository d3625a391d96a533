package io.crmsync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tenant's configuration reaches its own secrets and nothing else of the node. */
class TenantSecretNamesTest {

    private static final Map<String, String> NODE_SECRETS = Map.of(
            "CRMSYNC_CLUSTER_PASSWORD", "cluster-password-never-out",
            "GITHUB_TOKEN", "node-token-never-out",
            "TENANT_ACME_EFFICY", "acme-efficy-key",
            "TENANT_ACME_APSIS", "acme-apsis-secret",
            "TENANT_ACME_EU_EFFICY", "acme-eu-key-never-out");

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final SecretResolver recording = name -> {
        asked.add(name);
        return NODE_SECRETS.get(name);
    };
    private EfficyEmulator efficy;
    private EfficyEmulator customer;
    private ApsisEmulator apsis;
    private DataSource db;
    private ClusterNode node;

    @BeforeEach
    void start() throws Exception {
        db = ClusterDatabase.fresh();
        efficy = EfficyEmulator.start();
        apsis = ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
        customer = efficy.addCustomer("acme", "acme-efficy-key").seedContacts(3, 1);
        apsis.addAccount("acme-client", "acme-apsis-secret");
        node = ClusterNode.builder(db)
                .tenantUrls(EmulatorUrls.LOOPBACK)
                .name("secrets")
                .threads(2)
                .heartbeat(Duration.ofMillis(500), 6)
                .secrets(recording)
                .build();
    }

    @AfterEach
    void stop() {
        node.close();
        efficy.close();
        apsis.close();
    }

    private Properties acme(String efficyKey) {
        Properties p = new Properties();
        p.setProperty("efficy.url", efficy.baseUri() + "/crm");
        p.setProperty("efficy.customer", "acme");
        p.setProperty("efficy.apiKey", efficyKey);
        p.setProperty("apsis.baseUrl", apsis.baseUri().toString());
        p.setProperty("apsis.clientId", "acme-client");
        p.setProperty("apsis.clientSecret", "${TENANT_ACME_APSIS}");
        p.setProperty("apsis.section", Definitions.SECTION);
        p.setProperty("mapping.EMAIL1", Definitions.EMAIL);
        p.setProperty("schedule.pollInterval", "PT0S");
        return p;
    }

    @Test
    void aReferenceOutsideTheTenantsNamesIsRefusedBeforeAnythingIsResolvedOrSent() {
        for (String foreign : List.of("CRMSYNC_CLUSTER_PASSWORD", "GITHUB_TOKEN", "TENANT_ACME_EU_EFFICY")) {
            assertThatThrownBy(() -> node.admin().add("acme", acme("${" + foreign + "}")))
                    .isInstanceOf(TenantSetupException.class)
                    .hasMessageContaining("efficy.apiKey refers to " + foreign)
                    .hasMessageContaining("outside the tenant's secret names TENANT_ACME_*")
                    .hasMessageNotContaining("never-out");
        }
        assertThat(asked).as("no foreign name was looked up").isEmpty();
        assertThat(customer.sessionCount())
                .as("nothing went to the tenant's server")
                .isZero();
        assertThat(node.admin().list()).isEmpty();

        node.admin().add("acme", acme("${TENANT_ACME_EFFICY}"));
        assertThat(asked).containsOnly("TENANT_ACME_EFFICY", "TENANT_ACME_APSIS");
    }

    @Test
    void onlyKeysThatNameASecretMayHoldAReference() {
        Properties leak = acme("${TENANT_ACME_EFFICY}");
        leak.setProperty("efficy.url", efficy.baseUri() + "/leak/${CRMSYNC_CLUSTER_PASSWORD}");

        assertThatThrownBy(() -> node.admin().add("acme", leak))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("efficy.url holds a reference");
        assertThat(asked).isEmpty();
        assertThat(node.admin().list()).isEmpty();
    }

    @Test
    void aNodeWithTheDefaultPolicyRefusesATenantNamingItsOwnNetworkBeforeCallingIt() {
        try (ClusterNode strict = ClusterNode.builder(db)
                .name("strict")
                .threads(1)
                .secrets(recording)
                .build()) {
            assertThatThrownBy(() -> strict.admin().add("acme", acme("${TENANT_ACME_EFFICY}")))
                    .isInstanceOf(TenantSetupException.class)
                    .hasMessageContaining("efficy.url must be https");
            Properties https = acme("${TENANT_ACME_EFFICY}");
            https.setProperty(
                    "efficy.url", "https://127.0.0.1:" + efficy.baseUri().getPort() + "/crm");
            assertThatThrownBy(() -> strict.admin().add("acme", https))
                    .isInstanceOf(TenantSetupException.class)
                    .hasMessageContaining("efficy.url names host 127.0.0.1, which has a non-public address");
            Properties nodeKey = acme("${TENANT_ACME_EFFICY}");
            nodeKey.setProperty("apsis.importDirectory", "/tmp/elsewhere");
            assertThatThrownBy(() -> node.admin().add("acme", nodeKey))
                    .isInstanceOf(ClusterException.class)
                    .hasMessageContaining("apsis.importDirectory is not a tenant key");
        }
        assertThat(customer.sessionCount())
                .as("nothing went to the tenant's server")
                .isZero();
        assertThat(node.admin().list()).isEmpty();
    }

    @Test
    void aStoredTenantWhoseNamesTheNodeNoLongerAdmitsIsNeverResolved() {
        Tenant stored = node.admin().add("acme", acme("${TENANT_ACME_EFFICY}"));
        asked.clear();
        TenantConfigs vault =
                new TenantConfigs(recording, SecretNamespace.of("VAULT_{TENANT}_*"), EmulatorUrls.LOOPBACK, null);

        assertThatThrownBy(() -> vault.of(stored))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("outside the tenant's secret names VAULT_ACME_*");
        assertThat(asked).isEmpty();
    }
}
