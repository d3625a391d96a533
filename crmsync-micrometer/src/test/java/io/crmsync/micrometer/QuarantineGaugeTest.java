package io.crmsync.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.crmsync.sync.SyncReport;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.sync.state.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuarantineGaugeTest {

    @Test
    void aScrapeNeverReadsTheStoreAndARunsEndRefreshesTheCount() {
        StateStore real = new InMemoryStateStore();
        AtomicInteger reads = new AtomicInteger();
        StateStore counting = (StateStore) Proxy.newProxyInstance(
                StateStore.class.getClassLoader(), new Class<?>[] {StateStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("quarantined")) {
                        reads.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CrmsyncMetrics metrics = CrmsyncMetrics.of(registry).bindStateStore(counting);

        for (int i = 0; i < 10; i++) {
            assertThat(registry.get("crmsync.quarantined").gauge().value()).isZero();
        }
        assertThat(reads).as("read once, when bound").hasValue(1);

        metrics.syncListener()
                .runFinished(SyncReport.builder()
                        .job("poll")
                        .startedAt(Instant.parse("2026-12-04T10:00:00Z"))
                        .duration(Duration.ofSeconds(1))
                        .build());
        assertThat(reads).as("and again at the run's end").hasValue(2);
    }
}
