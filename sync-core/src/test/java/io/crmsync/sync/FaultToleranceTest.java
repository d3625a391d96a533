package io.crmsync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crmsync.apsis.ApsisClient;
import io.crmsync.client.RetryPolicy;
import io.crmsync.sync.state.InMemoryStateStore;
import io.crmsync.testkit.http.Fault;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Under passing APSIS errors a run parks the contacts that failed and goes on; later runs retry
 * them; only a failure of the whole service (many contacts in a row) ends a run early.
 */
class FaultToleranceTest {

    private static final FullSyncOptions PER_PROFILE =
            FullSyncOptions.defaults().withMode(SyncMode.PER_PROFILE);
    private static final List<Fault> STORM = List.of(
            Fault.status(503),
            Fault.status(500),
            Fault.connectionReset(),
            Fault.tooManyRequests(Duration.ZERO),
            Fault.answerLost());

    private final Emulated env = new Emulated(900);

    @AfterEach
    void stop() {
        env.close();
    }

    private ApsisClient fastRetries() {
        return Emulated.apsisClientBuilder(env.apsis)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(2)
                        .baseDelay(Duration.ofMillis(5))
                        .build())
                .build();
    }

    @Test
    void aRunUnderTenPercentApsisFaultsCompletesParksWhatFailedAndTheNextRunSyncsThem() {
        InMemoryStateStore store = new InMemoryStateStore();
        ApsisClient apsis = fastRetries();
        long victim = validContact();
        // One contact's write fails on both attempts (so it is surely parked), and 10% of everything
        // else fails at random.
        env.apsis.faults().next(2, "/profiles/" + victim + "/", Fault.status(503));
        env.apsis.faults().randomly(0.10, 7, STORM);
        SyncReport first;
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            first = engine.fullSync(PER_PROFILE); // one run, not three: no exception
        }
        env.apsis.faults().clear();
        assertThat(first.seen()).isEqualTo(900);
        assertThat(first.quarantined())
                .as("the contact whose writes failed was parked, not lost")
                .anyMatch(
                        q -> q.id().equals(Long.toString(victim)) && q.reason().startsWith("parked"));
        assertThat(env.apsis.journal().countStartingWith("fault"))
                .as("faults were injected")
                .isPositive();

        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            engine.pollChanges(); // retries the parked contacts
        }
        assertThat(store.quarantined()).noneMatch(q -> "parked".equals(q.payload()));
        // Every contact APSIS accepts is there; the rest are quarantined for their own reasons.
        long refused = store.quarantined().size();
        assertThat(env.apsis.profileCount()).isEqualTo(900 - refused);
        try (SyncEngine engine = env.engine(b -> b.apsis(apsis).stateStore(store))) {
            SyncReport again = engine.fullSync(PER_PROFILE);
            assertThat(again.created() + again.updated())
                    .as("nothing left to write")
                    .isZero();
        }
    }

    /** A contact with a valid e-mail address (one APSIS accepts). */
    private long validContact() {
        for (long key = 5; ; key++) {
            Object email = env.efficy.contact(key).get("EMAIL1");
            if (email != null && email.toString().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
                return key;
            }
        }
    }

    @Test
    void whenApsisIsDownTheRunEndsAfterTheCircuitBreakerThresholdAndSaysSo() {
        InMemoryStateStore store = new InMemoryStateStore();
        ApsisClient apsis = fastRetries();
        env.apsis.faults().next(100_000, "/profiles", Fault.status(503)); // the profile API is down
        try (SyncEngine engine = env.engine(b ->
                b.apsis(apsis).stateStore(store).circuitBreakerThreshold(10).concurrency(2))) {
            assertThatThrownBy(() -> engine.fullSync(PER_PROFILE))
                    .isInstanceOf(CircuitOpenException.class)
                    .hasMessageContaining("contacts in a row failed");
        }
        long requests = env.apsis.journal().entries().stream()
                .filter(e -> e.route().startsWith("fault:"))
                .count();
        assertThat(requests).as("the run stopped instead of trying all 900").isLessThan(100);
        assertThat(store.cursor("fullSync")).isEmpty();
    }
}
