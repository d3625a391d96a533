package io.crmsync.examples;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.ConsentPolicy;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncReport;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.state.jdbc.JdbcStateStore;
import java.net.URI;

/**
 * The README's embedding example, kept compiling and running by a test (which also checks that
 * the README shows exactly this code).
 */
public final class EmbeddingExample {

    private EmbeddingExample() {}

    /** Syncs every contact once and returns the report. */
    public static SyncReport sync(
            URI efficyUrl, String efficyKey, URI apsisUrl, String apsisId, String apsisSecret, String stateUrl) {
        // README:begin
        try (EfficyClient efficy = EfficyClient.builder()
                        .baseUri(efficyUrl) // e.g. https://mycompany.efficy.cloud/crm
                        .customer("demo")
                        .apiKey(efficyKey)
                        .build();
                JdbcStateStore state = JdbcStateStore.create(stateUrl); // e.g. jdbc:h2:file:./crmsync-state
                SyncEngine engine = SyncEngine.builder()
                        .efficy(efficy)
                        .apsis(ApsisClient.builder()
                                .baseUri(apsisUrl)
                                .clientId(apsisId)
                                .clientSecret(apsisSecret)
                                .build())
                        .section("com.apsis1.sections.default")
                        .mapping(MappingProvider.defaults()) // EMAIL1, MOBILE, FIRSTNAME, NAME
                        .consentPolicy(ConsentPolicy.of(ConsentMapping.checkbox(
                                "F_NEWSLETTER", "usercreated.topics.newsletter-ab12cd34ef", Channels.EMAIL)))
                        .stateStore(state)
                        .build()) {
            SyncReport report = engine.fullSync(FullSyncOptions.defaults());
            System.out.println(report); // created, updated, unchanged, quarantined...
            return report;
        }
        // README:end
    }
}
