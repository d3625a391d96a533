package io.crmsync.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.client.RetryPolicy;
import io.crmsync.efficy.EfficyClient;
import io.crmsync.sync.CircuitOpenException;
import io.crmsync.sync.FullSyncOptions;
import io.crmsync.sync.MappingProvider;
import io.crmsync.sync.SyncEngine;
import io.crmsync.sync.SyncMode;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.testkit.apsis.Definitions;
import io.crmsync.testkit.http.Fault;
import io.crmsync.testkit.junit.CrmsyncEmulators;
import io.crmsync.testkit.junit.Emulators;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@CrmsyncEmulators(contacts = 60, relaxedLimits = true)
class CrmsyncMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CrmsyncMetrics metrics = CrmsyncMetrics.of(registry, List.of(Tag.of("tenant", "acme")));

    private SyncEngine engine(Emulators emulators, InMemoryStateStore store) {
        EfficyClient efficy = EfficyClient.builder()
                .baseUri(emulators.efficyUri())
                .customer(emulators.efficyCustomer())
                .apiKey(emulators.efficy().apiKey())
                .listener(metrics.efficyListener())
                .build();
        ApsisClient apsis = ApsisClient.builder()
                .baseUri(emulators.apsisUri())
                .clientId(emulators.apsis().clientId())
                .clientSecret(emulators.apsis().clientSecret())
                .listener(metrics.apsisListener())
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(2)
                        .baseDelay(Duration.ofMillis(5))
                        .build())
                .build();
        SyncEngine engine = SyncEngine.builder()
                .efficy(efficy)
                .apsis(apsis)
                .section(Definitions.SECTION)
                .mapping(MappingProvider.defaults())
                .stateStore(store)
                .listener(metrics.syncListener())
                .build();
        metrics.bindStateStore(engine.stateStore());
        return engine;
    }

    @Test
    void requestsRunsContactsAndGaugesAreCountedWithTheirTags(Emulators emulators) {
        InMemoryStateStore store = new InMemoryStateStore();
        try (SyncEngine engine = engine(emulators, store)) {
            assertThat(registry.get("crmsync.poll.lag").gauge().value())
                    .as("no poll yet")
                    .isNaN();
            engine.fullSync(FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE));
            engine.pollChanges();

            long created = (long) registry.get("crmsync.contacts")
                    .tags("job", "fullSync", "change", "created")
                    .counter()
                    .count();
            assertThat(created).isEqualTo(emulators.apsis().profileCount());
            assertThat(registry.get("crmsync.runs")
                            .tags("job", "fullSync", "outcome", "finished", "tenant", "acme")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("crmsync.client.requests")
                            .tags("service", "efficy", "outcome", "success")
                            .timers())
                    .isNotEmpty();
            assertThat(
                            registry
                                    .get("crmsync.client.requests")
                                    .tags("service", "apsis", "outcome", "success")
                                    .timers()
                                    .stream()
                                    .mapToLong(t -> t.count())
                                    .sum())
                    .isGreaterThanOrEqualTo(created);
            assertThat(registry.get("crmsync.quarantined").gauge().value())
                    .isEqualTo(store.quarantined().size());
            assertThat(registry.get("crmsync.poll.lag").gauge().value()).isBetween(0.0, 60.0);
            // Routes are templates: no contact key or address ever becomes a tag value.
            assertThat(registry.getMeters())
                    .allSatisfy(m -> assertThat(m.getId().getTags())
                            .noneMatch(t ->
                                    t.getValue().contains("@") || t.getValue().matches(".*/\\d+/.*")));

            // APSIS down while 30 contacts changed: the run ends through the circuit breaker.
            for (long key = 1; key <= 30; key++) {
                emulators.efficy().updateContact(key, Map.of("FIRSTNAME", "Metric" + key));
            }
            emulators.apsis().faults().next(10_000, "/profiles", Fault.status(503));
            assertThatThrownBy(engine::pollChanges).isInstanceOf(CircuitOpenException.class);
            emulators.apsis().faults().clear();
            assertThat(registry.get("crmsync.runs")
                            .tags("job", "poll", "outcome", "failed")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("crmsync.contacts")
                            .tags("job", "poll", "change", "quarantined")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(20);
            assertThat(registry.get("crmsync.client.requests")
                            .tags(Tags.of("service", "apsis", "outcome", "server_error", "status", "503"))
                            .timers())
                    .isNotEmpty();
        }
    }
}
