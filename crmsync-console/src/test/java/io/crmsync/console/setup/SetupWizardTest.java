package io.crmsync.console.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.console.view.ActionResult;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The set-up wizard's steps against the emulators, without a browser (the browser test drives the pages). */
class SetupWizardTest {

    private final EfficyEmulator efficy = EfficyEmulator.start().seedContacts(25, 11);
    private final ApsisEmulator apsis =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
    private final List<Properties> saved = new ArrayList<>();
    private final List<Map<String, String>> savedSecrets = new ArrayList<>();
    private String refuseUrlsWith;

    private final SetupTarget target = new SetupTarget() {
        @Override
        public String describe() {
            return "test target";
        }

        @Override
        public boolean asksForTenant() {
            return true;
        }

        @Override
        public void checkCallable(String tenant, Properties config) {
            if (refuseUrlsWith != null) {
                throw new IllegalArgumentException(refuseUrlsWith);
            }
        }

        @Override
        public ActionResult save(String tenant, Properties config, Map<String, String> secrets) {
            saved.add(config);
            savedSecrets.add(secrets);
            return ActionResult.done("saved " + tenant);
        }
    };
    private final SetupWizard wizard = new SetupWizard(target);

    @AfterEach
    void stop() {
        efficy.close();
        apsis.close();
    }

    private Map<String, String> connection(String tenant) {
        Map<String, String> f = new HashMap<>();
        f.put("tenant", tenant);
        f.put("efficy.url", efficy.baseUri() + "/crm");
        f.put("efficy.customer", efficy.customer());
        f.put("efficy.apiKey", efficy.apiKey());
        f.put("apsis.baseUrl", apsis.baseUri().toString());
        f.put("apsis.clientId", apsis.clientId());
        f.put("apsis.clientSecret", apsis.clientSecret());
        return f;
    }

    @Test
    void urlsTheHostMayNotCallAreRefusedBeforeAnyRequest() {
        refuseUrlsWith = "efficy.url: host 127.0.0.1 is not in cluster.tenantHosts";
        ActionResult r = wizard.post("s", "connect", connection("acme"));
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("cluster.tenantHosts");
        assertThat(efficy.journal().entries()).isEmpty();
        assertThat(apsis.journal().entries()).isEmpty();
        assertThat(wizard.reached("s")).isEqualTo(1);
    }

    @Test
    void theFiveStepsEndInAValidatedSetUpWithTheSecretsApartAndNeverOnAPage() {
        assertThat(wizard.post("s", "connect", Map.of("tenant", "Not An Id")).ok())
                .isFalse();
        assertThat(wizard.post("s", "connect", connection("acme")).message()).startsWith("Connected");
        assertThat(wizard.reached("s")).isEqualTo(2);
        assertThat(wizard.post("s", "conditions", Map.of("field1", "NO_SUCH_FIELD", "op1", "equals", "value1", "1"))
                        .ok())
                .isFalse();
        assertThat(wizard.post("s", "conditions", Map.of()).ok()).isTrue();
        assertThat(wizard.post("s", "fields", Map.of("map.EMAIL1", "not.an.attribute"))
                        .ok())
                .isFalse();
        assertThat(wizard.post("s", "fields", Map.of("map.EMAIL1", "com.apsis1.attributes.email"))
                        .ok())
                .isTrue();
        assertThat(wizard.post("s", "consent", Map.of()).ok()).isTrue();
        assertThat(wizard.post("s", "finish", Map.of()).message()).contains("run the preview first");
        assertThat(wizard.post("s", "preview", Map.of()).ok()).isTrue();
        String page = wizard.page("/console", "csrf", "s", 5, null);
        assertThat(page).contains("read 25 contacts").doesNotContain(efficy.apiKey(), apsis.clientSecret());
        assertThat(apsis.profileCount()).as("the preview is a dry run").isZero();

        assertThat(wizard.post("s", "finish", Map.of()).message()).isEqualTo("saved acme");
        assertThat(saved).singleElement().satisfies(p -> {
            assertThat(p.getProperty("mapping.EMAIL1")).isEqualTo("com.apsis1.attributes.email");
            assertThat(p.getProperty("apsis.section")).isNotBlank();
            assertThat(p.stringPropertyNames()).doesNotContain("efficy.apiKey", "apsis.clientSecret");
        });
        assertThat(savedSecrets.get(0))
                .containsEntry("efficy.apiKey", efficy.apiKey())
                .containsEntry("apsis.clientSecret", apsis.clientSecret());
        assertThat(wizard.reached("s"))
                .as("a saved set-up starts a fresh draft")
                .isEqualTo(1);
    }
}
