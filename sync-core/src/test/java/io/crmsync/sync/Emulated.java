package io.crmsync.sync;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.apsis.RateLimits;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.consent.Channels;
import io.crmsync.sync.consent.ConsentMapping;
import io.crmsync.sync.mapping.FieldMapping;
import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import io.crmsync.testkit.apsis.Definitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Both emulators, clients pointed at them, and an engine builder with the test configuration. */
final class Emulated implements AutoCloseable {

    static final String SECTION = Definitions.SECTION;
    static final String KS = Definitions.CRM_ID;

    static final MappingProvider MAPPING = MappingProvider.of(List.of(
            FieldMapping.text("EMAIL1", Definitions.EMAIL),
            FieldMapping.text("MOBILE", Definitions.MOBILE),
            FieldMapping.text("FIRSTNAME", Definitions.FIRSTNAME),
            FieldMapping.text("NAME", Definitions.LASTNAME)));

    static final ConsentPolicy CONSENT = ConsentPolicy.of(
            ConsentMapping.checkbox("F_NEWSLETTER", Definitions.NEWSLETTER, Channels.EMAIL),
            ConsentMapping.profile(2, Definitions.OFFERS, Channels.EMAIL),
            ConsentMapping.checkbox("F_SMS_OPTIN", Definitions.SMS_ALERTS, Channels.SMS));

    final EfficyEmulator efficy;
    final ApsisEmulator apsis;
    final EfficyClient efficyClient;
    final ApsisClient apsisClient;

    Emulated(int contacts) {
        efficy = EfficyEmulator.start().seedContacts(contacts, 42);
        apsis = ApsisEmulator.builder().limits(ApsisLimits.relaxed()).start();
        efficyClient = EfficyClient.builder()
                .baseUri(URI.create(efficy.baseUri() + "/crm"))
                .customer("demo")
                .apiKey(efficy.apiKey())
                .build();
        apsisClient = apsisClient(apsis);
    }

    static ApsisClient apsisClient(ApsisEmulator apsis) {
        return apsisClientBuilder(apsis).build();
    }

    /** The test client's builder, with its own import directory. */
    static ApsisClient.Builder apsisClientBuilder(ApsisEmulator apsis) {
        Path imports;
        try {
            imports = Files.createTempDirectory("crmsync-test-imports").resolve("imports");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ApsisClient.builder()
                .importDirectory(imports)
                .baseUri(apsis.baseUri())
                .clientId(apsis.clientId())
                .clientSecret(apsis.clientSecret())
                .rateLimits(RateLimits.defaults()
                        .withPerAccountPerSecond(10_000)
                        .withPerProfilePerSecond(1_000)
                        .withImports(600, 3)
                        .withExportsPerMinute(600))
                .importPollInterval(Duration.ofMillis(5))
                .reportPollInterval(Duration.ofMillis(5));
    }

    SyncEngine.Builder engine() {
        return SyncEngine.builder()
                .efficy(efficyClient)
                .apsis(apsisClient)
                .section(SECTION)
                .mapping(MAPPING)
                .consentPolicy(CONSENT);
    }

    SyncEngine engine(Consumer<SyncEngine.Builder> config) {
        SyncEngine.Builder b = engine();
        config.accept(b);
        return b.build();
    }

    /** APSIS requests that change something (everything but reads and the token). */
    long apsisWrites() {
        return apsis.journal().counts().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("GET ")
                        && !e.getKey().equals("POST /oauth/token")
                        && !e.getKey().equals("POST /emails/reports"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    /** Whether the engine's store holds the contact in quarantine. */
    boolean engineStoreQuarantined(SyncEngine engine, long key) {
        return engine.stateStore().quarantined().stream().anyMatch(q -> q.id().equals(Long.toString(key)));
    }

    @Override
    public void close() {
        efficyClient.close();
        efficy.close();
        apsis.close();
    }
}
