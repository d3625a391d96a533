package io.crmsync.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.junit.CrmsyncEmulators;
import io.crmsync.testkit.junit.Emulators;
import org.junit.jupiter.api.Test;

/** How a host's own integration test uses the testkit's extension: annotate, inject, assert. */
@CrmsyncEmulators(contacts = 40, relaxedLimits = true)
class EmulatorExtensionExampleTest {

    @Test
    void aHostsIntegrationTestSyncsAgainstTheInjectedEmulators(Emulators emulators) {
        try (EfficyClient efficy = EfficyClient.builder()
                        .baseUri(emulators.efficyUri())
                        .customer(emulators.efficyCustomer())
                        .apiKey(emulators.efficy().apiKey())
                        .build();
                SyncEngine engine = SyncEngine.builder()
                        .efficy(efficy)
                        .apsis(ApsisClient.builder()
                                .baseUri(emulators.apsisUri())
                                .clientId(emulators.apsis().clientId())
                                .clientSecret(emulators.apsis().clientSecret())
                                .build())
                        .section(Definitions.SECTION)
                        .mapping(MappingProvider.defaults())
                        .build()) {
            SyncReport report = engine.fullSync(FullSyncOptions.defaults());

            assertThat(report.seen()).isEqualTo(40);
            assertThat(emulators.apsis().profileCount()).isEqualTo(report.created());
        }
    }
}
