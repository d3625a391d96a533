package io.crmsync.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.SyncReport;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The sample application, started whole, syncing against the emulators with ten lines of properties. */
@SpringBootTest
class SampleApplicationTest {

    static final EfficyEmulator EFFICY = EfficyEmulator.start().seedContacts(20, 3);
    static final ApsisEmulator APSIS =
            ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();

    @DynamicPropertySource
    static void crmsync(DynamicPropertyRegistry registry) {
        registry.add("crmsync.efficy.url", () -> EFFICY.baseUri() + "/crm");
        registry.add("crmsync.efficy.customer", () -> "demo");
        registry.add("crmsync.efficy.api-key", EFFICY::apiKey);
        registry.add("crmsync.apsis.base-url", APSIS::baseUri);
        registry.add("crmsync.apsis.client-id", APSIS::clientId);
        registry.add("crmsync.apsis.client-secret", APSIS::clientSecret);
        registry.add("crmsync.apsis.section", () -> Definitions.SECTION);
        registry.add("crmsync.mapping.EMAIL1", () -> Definitions.EMAIL);
        registry.add("crmsync.mapping.FIRSTNAME", () -> Definitions.FIRSTNAME);
        // The service below syncs one contact itself; the schedules (a first full sync) would race it.
        registry.add("crmsync.schedule.poll-interval", () -> "PT0S");
        registry.add("crmsync.state.jdbc-url", () -> "jdbc:h2:mem:sample-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    @AfterAll
    static void stop() {
        EFFICY.close();
        APSIS.close();
    }

    @Autowired
    SampleApplication.ContactSyncService service;

    @Test
    void theApplicationsServiceSyncsAContactThroughTheAutoConfiguredEngine() {
        SyncReport report = service.contactChanged(7);

        assertThat(report.created()).isEqualTo(1);
        assertThat(APSIS.profile(Definitions.CRM_ID, "7"))
                .isPresent()
                .hasValueSatisfying(p -> assertThat(p.attribute(Definitions.SECTION, Definitions.EMAIL))
                        .contains(EFFICY.contact(7).get("EMAIL1")));
    }
}
